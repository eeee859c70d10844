package io.inventiv.worker.engine.binding;

/** The model could not be loaded; the message is the best reason we have. */
public final class ModelLoadException extends Exception {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    public ModelLoadException(String message) {
        super(message);
    }
}
