package io.inventiv.worker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.helidon.http.Status;
import io.inventiv.worker.engine.EngineException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one error envelope: its exact bytes, and which status each engine refusal becomes. */
class ApiErrorsTest {
    private static String body(ApiException e) {
        return new String(ApiErrors.body(e), StandardCharsets.UTF_8);
    }

    @Test
    void theEnvelopeHasVllmsFieldsInOpenAisOrder() {
        assertEquals("{\"error\":{\"message\":\"max_tokens must be at least 1, got 0.\",\"type\":\"BadRequestError\","
                        + "\"param\":\"max_tokens\",\"code\":400}}",
                body(ApiException.badRequest("max_tokens must be at least 1, got 0.", "max_tokens")));
    }

    @Test
    void aMissingParamIsWrittenAsNullNotLeftOut() {
        assertEquals("{\"error\":{\"message\":\"nope\",\"type\":\"NotFoundError\",\"param\":null,\"code\":404}}",
                body(ApiException.notFound("nope", null)));
    }

    @Test
    void theBodyIsOneLineSoItCanBeAnSseFrame() {
        String body = body(ApiException.badRequest("line one\nline two \"quoted\"\r\n", "prompt"));
        assertFalse(body.contains("\n") || body.contains("\r"), body);
        assertEquals("{\"error\":{\"message\":\"line one\\nline two \\\"quoted\\\"\\r\\n\",\"type\":\"BadRequestError\","
                + "\"param\":\"prompt\",\"code\":400}}", body);
    }

    @Test
    void anInvalidRequestIs400WithItsFieldAndNoRetry() {
        ApiException e = ApiErrors.fromEngine(EngineException.invalid("bad top_p", "top_p"));
        assertEquals(Status.BAD_REQUEST_400, e.status());
        assertEquals("top_p", e.param());
        assertEquals("bad top_p", e.getMessage());
        assertNull(e.retryAfterSeconds());
    }

    @Test
    void aFullQueueAndADrainingServerAre503WithRetryAfter() {
        for (EngineException.Kind kind : new EngineException.Kind[] {EngineException.Kind.QUEUE_FULL,
                EngineException.Kind.UNAVAILABLE}) {
            ApiException e = ApiErrors.fromEngine(new EngineException(kind, "busy", null));
            assertEquals(Status.SERVICE_UNAVAILABLE_503, e.status(), kind.name());
            assertEquals(ApiErrors.RETRY_AFTER_SECONDS, e.retryAfterSeconds(), kind.name());
            assertNull(e.param(), kind.name());
        }
    }

    @Test
    void typesAreNamedAfterTheStatusAsVllmDoes() {
        assertEquals("BadRequestError", ApiErrors.typeName(Status.BAD_REQUEST_400));
        assertEquals("AuthenticationError", ApiErrors.typeName(Status.UNAUTHORIZED_401));
        assertEquals("NotFoundError", ApiErrors.typeName(Status.NOT_FOUND_404));
        assertEquals("MethodNotAllowedError", ApiErrors.typeName(Status.METHOD_NOT_ALLOWED_405));
        assertEquals("RequestEntityTooLargeError", ApiErrors.typeName(Status.REQUEST_ENTITY_TOO_LARGE_413));
        assertEquals("UnsupportedMediaTypeError", ApiErrors.typeName(Status.UNSUPPORTED_MEDIA_TYPE_415));
        assertEquals("RateLimitError", ApiErrors.typeName(Status.TOO_MANY_REQUESTS_429));
        assertEquals("ServiceUnavailableError", ApiErrors.typeName(Status.SERVICE_UNAVAILABLE_503));
        assertEquals("InternalServerError", ApiErrors.typeName(Status.INTERNAL_SERVER_ERROR_500));
        assertEquals("InternalServerError", ApiErrors.typeName(Status.GATEWAY_TIMEOUT_504));
        assertEquals("BadRequestError", ApiErrors.typeName(Status.CONFLICT_409));
    }
}
