package io.inventiv.worker.engine;

import io.inventiv.worker.engine.binding.NativeSampling;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted request, from the queue to its last token. The serving thread reads
 * {@link #next} for events and calls {@link #cancel()} when its client goes away; a slot
 * worker produces the events.
 *
 * <p>A streamed generation may also have a {@link DeltaSink}: then the slot thread writes each
 * token's text to the client itself, and the serving thread wakes only for the end (and for
 * {@link GenerationEvent.Quiet} while nothing comes). Handing every token to the serving thread
 * cost one more wake-up per token, and on a machine whose cores llama.cpp keeps busy that was
 * about 3% of one stream's decode speed (docs/BENCHMARKS-HISTORY.md, "Session 9"). The
 * hand-off stays for the rest of a stream as soon as one write is slow
 * ({@link #SLOW_WRITE_MILLIS}): a client that reads slowly then costs its own connection's time,
 * not the slot's. A client that reads nothing at all blocks the write until the sink disconnects
 * it ({@link DeltaSink#blocked}).
 */
public final class Generation {
    /** How long a generation may be silent before its consumer gets a {@link GenerationEvent.Quiet}. */
    public static final long QUIET_MILLIS = QuietTicker.QUIET_MILLIS;

    private final String requestId;
    private final PreparedPrompt prompt;
    private final NativeSampling sampling;
    private final List<String> stops;
    private final long queuedAtNanos = System.nanoTime();
    private final BlockingQueue<GenerationEvent> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** When the consumer was last given an event; written by the slot thread and the ticker. */
    private volatile long lastEventAt = queuedAtNanos;
    private volatile boolean ended;
    private final Scheduler scheduler;
    /** Tokens this generation holds in its slot; written by its slot thread only. */
    private long heldTokens;
    /** Where the slot thread writes text itself, or null: every delta is an event. */
    private final DeltaSink sink;
    /** Set by the slot thread after a slow or failed write: from then on deltas are events. */
    private boolean handOff;
    /** When the slot thread's current write to the sink began; 0 while it is not writing. */
    private volatile long writingSince;

    /** A write that takes longer than this means the client reads slowly (or not at all). */
    static final long SLOW_WRITE_MILLIS = 100;

    Generation(String requestId, PreparedPrompt prompt, NativeSampling sampling, List<String> stops,
            Scheduler scheduler, DeltaSink sink) {
        this.requestId = requestId;
        this.prompt = prompt;
        this.sampling = sampling;
        this.stops = stops;
        this.scheduler = scheduler;
        this.sink = sink;
        this.handOff = sink == null;
    }

    public String requestId() {
        return requestId;
    }

    public int promptTokens() {
        return prompt.length();
    }

    /** The completion budget the engine granted (the request's max_tokens or the default). */
    public int maxTokens() {
        return sampling.maxTokens();
    }

    /**
     * Waits for the next event. While nothing happens (the request waits for a slot, its prompt is
     * evaluated, or the machine is slow), a {@link GenerationEvent.Quiet} comes every
     * {@link #QUIET_MILLIS} ms instead, so the caller can probe its client.
     */
    public GenerationEvent next() throws InterruptedException {
        return events.take();
    }

    /**
     * The ticker's check: false once the generation has ended and needs no more watching. A
     * write blocked in the sink is reported to it instead: the serving thread could not ping
     * its client meanwhile anyway.
     */
    boolean nudgeIfQuiet(long now, long quietNanos) {
        if (ended) {
            return false;
        }
        long writing = writingSince;
        if (writing != 0) {
            sink.blocked(now - writing);
            return true;
        }
        if (now - lastEventAt >= quietNanos && events.isEmpty()) {
            lastEventAt = now;
            events.add(GenerationEvent.QUIET);
        }
        return true;
    }

    /**
     * Stops the generation because its client is gone. A waiting request leaves the queue at
     * once; a running one frees its slot after at most one more token. Safe to call twice.
     */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            scheduler.cancelWaiting(this);
        }
    }

    boolean isCancelled() {
        return cancelled.get();
    }

    PreparedPrompt prompt() {
        return prompt;
    }

    NativeSampling sampling() {
        return sampling;
    }

    List<String> stops() {
        return stops;
    }

    public long queuedAtNanos() {
        return queuedAtNanos;
    }

    void holdTokens(long tokens) {
        heldTokens += tokens;
    }

    long heldTokens() {
        return heldTokens;
    }

    /** New text from the slot thread: written to the sink, or queued for the serving thread. */
    void emitText(String text) {
        if (handOff) {
            emit(new GenerationEvent.Delta(text));
            return;
        }
        long start = System.nanoTime();
        writingSince = start;
        boolean written;
        try {
            written = sink.write(text);
        } finally {
            writingSince = 0;
        }
        long end = System.nanoTime();
        lastEventAt = end;
        if (!written) {
            handOff = true;
            cancel(); // the slot thread sees it before its next token
        } else if (end - start > SLOW_WRITE_MILLIS * 1_000_000) {
            handOff = true;
        }
    }

    void emit(GenerationEvent event) {
        if (event instanceof GenerationEvent.Finished || event instanceof GenerationEvent.Failed) {
            ended = true;
        }
        lastEventAt = System.nanoTime();
        events.add(event);
    }
}
