package io.inventiv.worker.engine;

/**
 * Where a streamed generation's text goes straight from its slot thread, without waking the
 * request's own thread for every token (see {@link Generation}). Implemented by the HTTP layer.
 */
public interface DeltaSink {
    /**
     * Sends {@code text} to the client. Blocks while the client's socket buffers are full.
     *
     * @return false once the client is gone
     */
    boolean write(String text);

    /**
     * Called about four times a second while a {@link #write} has been blocked for
     * {@code blockedNanos}: a client that accepts nothing for long enough is disconnected, which
     * ends the write and frees the slot.
     */
    void blocked(long blockedNanos);
}
