package io.inventiv.worker.api;

import io.helidon.webserver.http.ServerResponse;
import io.inventiv.worker.api.SseWriter.ClientGoneException;
import io.inventiv.worker.engine.DeltaSink;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One streamed response, written by two threads: the request's thread opens and ends it and
 * pings the client while nothing happens; the slot thread writes the text of each token (see
 * {@code Generation}). Every write takes one lock, so events never interleave, and
 * whichever thread writes first sends the opening (the role chunk, or a ping that commits the
 * headers). Nothing is written before the first write, so a request refused at admission still
 * gets its JSON error.
 *
 * <p>A {@link ReentrantLock}, not {@code synchronized}: on Java 21 (the image's JVM) a virtual
 * thread that blocks in a socket write inside a monitor pins its carrier, and a few clients that
 * stopped reading would pin all of them.
 */
final class SseStream implements DeltaSink {
    private static final System.Logger LOG = System.getLogger(SseStream.class.getName());

    private final ServerResponse res;
    private final ResponseShape shape;
    private final DeltaChunkTemplate deltas;
    private final Runnable closeConnection;
    private final long sendTimeoutNanos;
    private final AtomicBoolean disconnected = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private SseWriter sse; // guarded by lock; created by the first write
    private boolean closed; // guarded by lock

    SseStream(ServerResponse res, ResponseShape shape, Runnable closeConnection, Duration sendTimeout) {
        this.res = res;
        this.shape = shape;
        this.deltas = DeltaChunkTemplate.of(shape);
        this.closeConnection = closeConnection;
        this.sendTimeoutNanos = sendTimeout.toNanos();
    }

    /** Commits the headers, so the client knows it was admitted; once only. */
    void begin() throws ClientGoneException {
        locked(sse -> {
        });
    }

    /** A comment line: keeps proxies from timing out, and reveals a client that has left. */
    void ping() throws ClientGoneException {
        locked(SseWriter::ping);
    }

    /** One content chunk carrying {@code text}. */
    void delta(String text) throws ClientGoneException {
        byte[] chunk = deltas.render(text); // outside the lock: the other thread need not wait for it
        locked(sse -> sse.data(chunk));
    }

    /** The last events and [DONE], in one flush (see {@link SseWriter#lastEvents}). */
    void last(Object... payloads) throws ClientGoneException {
        locked(sse -> sse.lastEvents(payloads));
    }

    /** What one thread writes while it holds the lock. */
    @FunctionalInterface
    private interface Write {
        void to(SseWriter sse) throws ClientGoneException;
    }

    /** Under the lock: the opening first if nobody wrote it yet, then {@code write}. */
    private void locked(Write write) throws ClientGoneException {
        lock.lock();
        try {
            if (closed) {
                throw new ClientGoneException(null);
            }
            if (sse == null) {
                sse = new SseWriter(res);
                Object first = shape.firstChunk();
                if (first != null) {
                    sse.data(first);
                } else {
                    sse.ping();
                }
            }
            write.to(sse);
        } finally {
            lock.unlock();
        }
    }

    /** Ends the response; later writes fail as if the client had left. */
    void close() {
        lock.lock();
        try {
            closed = true;
            if (sse != null) {
                sse.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The slot thread's write. */
    @Override
    public boolean write(String text) {
        try {
            delta(text);
            return true;
        } catch (ClientGoneException e) {
            return false;
        }
    }

    /**
     * Like a web server's send timeout (nginx's send_timeout): a client that has accepted nothing
     * for that long, with the socket buffers full, is disconnected, so that the slot it holds
     * comes free. The blocked write then fails and the generation is cancelled.
     */
    @Override
    public void blocked(long blockedNanos) {
        if (blockedNanos >= sendTimeoutNanos && disconnected.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "closing a streaming connection: its client accepted nothing for "
                    + blockedNanos / 1_000_000 + " ms (SEND_TIMEOUT_S)");
            closeConnection.run();
        }
    }
}
