package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.engine.EngineException;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The only builder of {@code {"error":{"message","type","param","code"}}}, and the map from
 * exception to status. vLLM names the type after the HTTP status and puts the status in code.
 */
public final class ApiErrors {
    private static final System.Logger LOG = System.getLogger(ApiErrors.class.getName());
    /** How long a refused client should wait before retrying a full queue. */
    static final int RETRY_AFTER_SECONDS = 1;

    private ApiErrors() {
    }

    /** Registers the handlers that turn every exception into an OpenAI error body. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> send(res, e));
        routing.error(EngineException.class, (req, res, e) -> send(res, fromEngine(e)));
        routing.error(HttpException.class, (req, res, e) ->
                send(res, new ApiException(e.status(), e.getMessage(), null, null)));
        routing.error(Throwable.class, (req, res, e) -> {
            LOG.log(Level.ERROR, "unexpected error on " + req.prologue().method() + " " + req.path().path(), e);
            send(res, new ApiException(Status.INTERNAL_SERVER_ERROR_500, "Internal server error: " + e, null, null));
        });
    }

    /** Maps an engine refusal to its HTTP meaning. */
    public static ApiException fromEngine(EngineException e) {
        return switch (e.kind()) {
            case INVALID_REQUEST -> ApiException.badRequest(e.getMessage(), e.param());
            case QUEUE_FULL, UNAVAILABLE -> new ApiException(Status.SERVICE_UNAVAILABLE_503, e.getMessage(), null,
                    RETRY_AFTER_SECONDS);
        };
    }

    /** Sends the error response, unless the response has already started. */
    public static void send(ServerResponse res, ApiException e) {
        if (res.isSent()) {
            return;
        }
        res.status(e.status());
        if (e.retryAfterSeconds() != null) {
            res.header(HeaderNames.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body(e));
    }

    /** The error envelope as bytes, also used as the one error frame of a broken stream. */
    public static byte[] body(ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e.getMessage());
        error.put("type", typeName(e.status()));
        error.put("param", e.param());
        error.put("code", e.status().code());
        return Json.write(Map.of("error", error));
    }

    /** Answers a path that no route serves. */
    public static void notFound(ServerRequest req, ServerResponse res) {
        send(res, ApiException.notFound("Not Found: " + req.prologue().method() + " " + req.path().path(), null));
    }

    /** Answers a known path with a method it does not serve. */
    public static void methodNotAllowed(ServerRequest req, ServerResponse res) {
        send(res, new ApiException(Status.METHOD_NOT_ALLOWED_405, "Method Not Allowed: "
                + req.prologue().method() + " " + req.path().path(), null, null));
    }

    static String typeName(Status status) {
        return switch (status.code()) {
            case 400 -> "BadRequestError";
            case 401 -> "AuthenticationError";
            case 403 -> "PermissionDeniedError";
            case 404 -> "NotFoundError";
            case 405 -> "MethodNotAllowedError";
            case 408 -> "RequestTimeoutError";
            case 413 -> "RequestEntityTooLargeError";
            case 415 -> "UnsupportedMediaTypeError";
            case 422 -> "UnprocessableEntityError";
            case 429 -> "RateLimitError";
            case 503 -> "ServiceUnavailableError";
            default -> status.code() >= 500 ? "InternalServerError" : "BadRequestError";
        };
    }
}
