package io.inventiv.worker.tools.bench;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One self-overwriting status line on stderr while a phase runs, so stdout stays clean for the
 * report (or JSON). Redrawn at most twice a second by a daemon thread; disabled, it costs
 * nothing but a few counter updates.
 */
public final class BenchProgress {
    private final PrintStream out;
    private final boolean enabled;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicLong tokens = new AtomicLong();
    private volatile String phase = "";
    private volatile int planned;
    private volatile long phaseStartNanos;
    private Thread painter;

    public BenchProgress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    public static BenchProgress disabled() {
        return new BenchProgress(System.err, false);
    }

    void startPhase(String name, int plannedRequests) {
        phase = name;
        planned = plannedRequests;
        started.set(0);
        done.set(0);
        errors.set(0);
        tokens.set(0);
        phaseStartNanos = System.nanoTime();
        if (enabled) {
            painter = Thread.ofPlatform().daemon().name("bench-progress").start(this::paintLoop);
        }
    }

    void requestStarted() {
        started.incrementAndGet();
    }

    void requestEnded(StreamResult result) {
        done.incrementAndGet();
        tokens.addAndGet(result.completionTokens());
        if (!result.ok()) {
            errors.incrementAndGet();
        }
    }

    void endPhase() {
        if (painter != null) {
            painter.interrupt();
            try {
                painter.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            painter = null;
            out.print("\r" + line() + "\n");
            out.flush();
        }
    }

    /** Also used for messages between phases (loading, probing), so they do not garble the line. */
    public void note(String message) {
        if (enabled) {
            out.println(message);
            out.flush();
        }
    }

    private void paintLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            out.print("\r" + line() + "   ");
            out.flush();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String line() {
        double seconds = (System.nanoTime() - phaseStartNanos) / 1e9;
        int finished = done.get();
        return String.format(java.util.Locale.ROOT, "[%s] %d%s done, %d running, %d tokens, %.1f tok/s, %d errors, %.0f s",
                phase, finished, planned > 0 ? "/" + planned : "", started.get() - finished, tokens.get(),
                seconds > 0 ? tokens.get() / seconds : 0.0, errors.get(), seconds);
    }
}
