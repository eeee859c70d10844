package io.inventiv.worker.engine.jni;

/** A failure inside llama.cpp (not the caller's input), thrown by the native layer instead of aborting. */
public final class NativeException extends RuntimeException {
    public NativeException(String message) {
        super(message);
    }
}
