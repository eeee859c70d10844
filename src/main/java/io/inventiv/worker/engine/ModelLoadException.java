package io.inventiv.worker.engine;

/** The model could not be loaded; the message is the best reason we have. */
public final class ModelLoadException extends Exception {
    private final boolean fromNativeCode;

    /** llama.cpp refused the file; its own reason went to native stderr, not into this message. */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
        this.fromNativeCode = true;
    }

    /** We refused the file ourselves, with a complete reason. */
    public ModelLoadException(String message) {
        super(message);
        this.fromNativeCode = false;
    }

    public boolean fromNativeCode() {
        return fromNativeCode;
    }
}
