package io.inventiv.worker.api;

import io.inventiv.worker.engine.Generation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notices that one request's client has left, and cancels its generation exactly once, as vLLM's
 * {@code with_cancellation} does: a slot must never keep generating for nobody. Helidon gives no
 * event for a closed connection, so departure shows in the writes, and every write to the client
 * goes through {@link #write}. Two routes lead here:
 * <ul>
 *   <li>a write fails: the client closed the connection (pings while the request waits or its
 *       prompt is evaluated make this happen within a quarter of a second);</li>
 *   <li>a write stays blocked for {@code SEND_TIMEOUT_S}: the client accepts nothing and its
 *       socket buffers are full, so the connection is closed (like nginx's {@code send_timeout}),
 *       and the blocked write then fails.</li>
 * </ul>
 */
final class ClientDeparture {
    private static final System.Logger LOG = System.getLogger(ClientDeparture.class.getName());

    private final Runnable closeConnection;
    private final long sendTimeoutNanos;
    private final AtomicBoolean gone = new AtomicBoolean();
    private final AtomicBoolean disconnected = new AtomicBoolean();
    /** The generations to cancel: one, or one per choice when n &gt; 1. */
    private final List<Generation> generations = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** When the write in progress began; 0 while none is. */
    private volatile long writingSince;
    /** Whether the send-timeout watch knows this request; only the request's thread writes. */
    private boolean watched;

    /** {@code closeConnection} closes this client's socket, which fails a blocked write. */
    ClientDeparture(Runnable closeConnection, Duration sendTimeout) {
        this.closeConnection = closeConnection;
        this.sendTimeoutNanos = sendTimeout.toNanos();
    }

    /** A generation to cancel when the client leaves; cancelled at once if it already has. */
    void attach(Generation admitted) {
        generations.add(admitted);
        if (gone.get()) {
            admitted.cancel();
        }
    }

    /** A write to the client, a part of the response or a probe. */
    @FunctionalInterface
    interface Write {
        void run() throws IOException;
    }

    /** Runs {@code write}; if it fails, the client has left: the generation is cancelled. */
    void write(Write write) throws ClientGoneException {
        if (gone.get()) {
            throw new ClientGoneException(null);
        }
        if (!watched) {
            watched = true;
            SendTimeoutWatch.SHARED.watch(this);
        }
        writingSince = System.nanoTime();
        try {
            write.run();
        } catch (IOException | UncheckedIOException e) {
            throw left(e);
        } catch (RuntimeException e) {
            throw left(e); // Helidon reports a closed socket with its own unchecked exceptions
        } finally {
            writingSince = 0;
        }
    }

    /** Whether the client has been found gone. */
    boolean gone() {
        return gone.get();
    }

    /** Ends the watch of this request's writes; called when its response is over. */
    void done() {
        SendTimeoutWatch.SHARED.forget(this);
    }

    private ClientGoneException left(Exception cause) {
        if (gone.compareAndSet(false, true)) {
            generations.forEach(Generation::cancel);
        }
        return new ClientGoneException(cause);
    }

    /** The watch's check: closes the connection once a write has been blocked too long. */
    private void closeIfBlocked(long now) {
        long since = writingSince;
        if (since != 0 && now - since >= sendTimeoutNanos && disconnected.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "closing a connection: its client accepted nothing for "
                    + (now - since) / 1_000_000 + " ms (SEND_TIMEOUT_S)");
            closeConnection.run();
        }
    }

    /**
     * One thread checks every response that is being written, once a second, and only while
     * there is one: a timer per write would wake a thread twice per token.
     */
    private static final class SendTimeoutWatch {
        static final SendTimeoutWatch SHARED = new SendTimeoutWatch();
        private static final long TICK_MILLIS = 1000;

        private final Set<ClientDeparture> watched = ConcurrentHashMap.newKeySet();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "send-timeout-watch");
            thread.setDaemon(true);
            return thread;
        });
        private ScheduledFuture<?> ticking; // guarded by this

        void watch(ClientDeparture departure) {
            watched.add(departure);
            synchronized (this) {
                if (ticking == null) {
                    ticking = timer.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
        }

        void forget(ClientDeparture departure) {
            watched.remove(departure);
        }

        private void tick() {
            long now = System.nanoTime();
            watched.forEach(departure -> departure.closeIfBlocked(now));
            synchronized (this) { // watch() takes the same lock, so one added meanwhile keeps it ticking
                if (watched.isEmpty() && ticking != null) {
                    ticking.cancel(false);
                    ticking = null;
                }
            }
        }
    }
}
