package io.inventiv.worker.engine;

/**
 * A request the engine refuses. {@link Kind} says why; the API layer maps it to a status, the
 * engine itself knows nothing of HTTP.
 */
public final class EngineException extends RuntimeException {
    private final Kind kind;
    private final String param;

    public EngineException(Kind kind, String message, String param) {
        super(message);
        this.kind = kind;
        this.param = param;
    }

    public static EngineException invalid(String message, String param) {
        return new EngineException(Kind.INVALID_REQUEST, message, param);
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }

    public enum Kind {
        /** The request itself is wrong (bad value, too long for the context). */
        INVALID_REQUEST,
        /** Every slot is busy and the waiting queue is full: try again later. */
        QUEUE_FULL,
        /** The server is shutting down and admits nothing new. */
        UNAVAILABLE
    }
}
