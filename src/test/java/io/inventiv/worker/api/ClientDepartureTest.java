package io.inventiv.worker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inventiv.worker.TestModels;
import io.inventiv.worker.engine.Engine;
import io.inventiv.worker.engine.FinishReason;
import io.inventiv.worker.engine.Generation;
import io.inventiv.worker.engine.GenerationEvent;
import io.inventiv.worker.engine.SamplingRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each route by which a client's departure is noticed ends its real generation, exactly once. */
class ClientDepartureTest {
    /** Slow enough tokens that a generation is still running when its client leaves. */
    private static final Engine ENGINE = TestModels.engine(TestModels.config(TestModels.tinyQwen(), 2, 4, 512, false, 20));

    private static Generation longGeneration() {
        return ENGINE.submit("departure-test", ENGINE.prepareText("a long story"),
                new SamplingRequest(300, null, null, null, null, null, null, null, null, true, List.of()));
    }

    private static FinishReason finishOf(Generation generation) throws InterruptedException {
        while (true) {
            if (generation.next() instanceof GenerationEvent.Finished finished) {
                return finished.result().finishReason();
            }
        }
    }

    @Test
    void aFailedWriteCancelsTheGenerationAndLaterWritesAreNotTried() throws Exception {
        ClientDeparture departure = new ClientDeparture(() -> { }, Duration.ofSeconds(30));
        Generation generation = longGeneration();
        departure.attach(generation);
        departure.write(() -> { }); // a client that reads
        assertFalse(departure.gone());
        assertThrows(ClientGoneException.class, () -> departure.write(() -> {
            throw new IOException("Broken pipe");
        }));
        assertTrue(departure.gone());
        AtomicInteger tried = new AtomicInteger();
        assertThrows(ClientGoneException.class, () -> departure.write(tried::incrementAndGet));
        assertEquals(0, tried.get(), "nothing more is written to a client that left");
        assertEquals(FinishReason.ABORT, finishOf(generation));
        departure.done();
    }

    @Test
    void helidonsUncheckedSocketErrorsCountAsDepartureToo() throws Exception {
        ClientDeparture departure = new ClientDeparture(() -> { }, Duration.ofSeconds(30));
        Generation generation = longGeneration();
        departure.attach(generation);
        assertThrows(ClientGoneException.class, () -> departure.write(() -> {
            throw new IllegalStateException("Socket is closed");
        }));
        assertEquals(FinishReason.ABORT, finishOf(generation));
    }

    @Test
    void aClientFoundGoneBeforeItsGenerationWasAttachedCancelsItOnAttach() throws Exception {
        ClientDeparture departure = new ClientDeparture(() -> { }, Duration.ofSeconds(30));
        assertThrows(ClientGoneException.class, () -> departure.write(() -> {
            throw new IOException("Connection reset");
        }));
        Generation generation = longGeneration();
        departure.attach(generation);
        assertEquals(FinishReason.ABORT, finishOf(generation));
    }

    @Test
    void aWriteBlockedPastTheSendTimeoutClosesTheConnectionOnceAndEndsTheGeneration() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicInteger closes = new AtomicInteger();
        ClientDeparture departure = new ClientDeparture(() -> {
            closes.incrementAndGet();
            closed.countDown();
        }, Duration.ofSeconds(1));
        Generation generation = longGeneration();
        departure.attach(generation);
        long start = System.nanoTime();
        // A client that accepts nothing: the write returns only when its socket is closed.
        assertThrows(ClientGoneException.class, () -> departure.write(() -> {
            try {
                if (!closed.await(20, TimeUnit.SECONDS)) {
                    throw new AssertionError("the connection was never closed");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            throw new IOException("Socket closed");
        }));
        assertTrue(System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(1), "not before the send timeout");
        assertEquals(1, closes.get());
        assertEquals(FinishReason.ABORT, finishOf(generation));
        departure.done();
    }

    @Test
    void aClientThatReadsSlowlyButSteadilyIsNotDisconnected() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        ClientDeparture departure = new ClientDeparture(closes::incrementAndGet, Duration.ofSeconds(1));
        for (int i = 0; i < 8; i++) { // 1.6 s of writes in all, none blocked for long
            departure.write(() -> sleep(200));
        }
        assertEquals(0, closes.get());
        assertFalse(departure.gone());
        departure.done();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
