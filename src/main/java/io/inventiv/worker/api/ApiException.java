package io.inventiv.worker.api;

import io.helidon.http.Status;

/**
 * A request we answer with an OpenAI error body. Handlers throw it; {@link ApiErrors} alone
 * turns it into a response.
 */
public final class ApiException extends RuntimeException {
    private final Status status;
    private final String param;
    private final Integer retryAfterSeconds;

    public ApiException(Status status, String message, String param, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String message, String param) {
        return new ApiException(Status.BAD_REQUEST_400, message, param, null);
    }

    /** A 500: the request was fine, its generation failed. */
    public static ApiException internal(String message) {
        return new ApiException(Status.INTERNAL_SERVER_ERROR_500, message, null, null);
    }

    public static ApiException notFound(String message, String param) {
        return new ApiException(Status.NOT_FOUND_404, message, param, null);
    }

    public Status status() {
        return status;
    }

    public String param() {
        return param;
    }

    /** Seconds for a Retry-After header, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
