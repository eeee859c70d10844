package io.inventiv.worker.engine;


import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted request, from the queue to its last token. The serving thread reads
 * {@link #next} for events and calls {@link #cancel()} when its client goes away; a slot
 * worker produces the events. The slot thread never writes to a client itself: a slow client
 * costs its own request's thread, never a slot (docs/DECISIONS.md, "Hand-off to the request's
 * thread").
 */
public final class Generation {
    /** How long a generation may be silent before its consumer gets a {@link GenerationEvent.Quiet}. */
    public static final long QUIET_MILLIS = QuietTicker.QUIET_MILLIS;

    private final String requestId;
    private final PreparedPrompt prompt;
    private final SamplingParams sampling;
    private final List<String> stops;
    private final long queuedAtNanos = System.nanoTime();
    private final BlockingQueue<GenerationEvent> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** When the consumer was last given an event; written by the slot thread and the ticker. */
    private volatile long lastEventAt = queuedAtNanos;
    private volatile boolean ended;
    private final SlotScheduler scheduler;
    /** Whether the API layer times this generation's tokens as it releases them (latency shaping). */
    private volatile boolean timedAtDelivery;
    /** Tokens generated so far; written by its slot thread only. */
    private volatile int produced;
    /** Log-probabilities not yet sent; the decode loop's thread alone touches them. */
    private final List<TokenLogprob> pendingLogprobs = new java.util.ArrayList<>();
    /** The first choice of the same request (n &gt; 1), whose evaluated prompt this one copies; or null. */
    private volatile Generation leader;

    Generation(String requestId, PreparedPrompt prompt, SamplingParams sampling, List<String> stops,
            SlotScheduler scheduler) {
        this.requestId = requestId;
        this.prompt = prompt;
        this.sampling = sampling;
        this.stops = stops;
        this.scheduler = scheduler;
    }

    public String requestId() {
        return requestId;
    }

    /** The generation whose prompt evaluation this one shares, or null. */
    Generation leader() {
        return leader;
    }

    void follow(Generation first) {
        this.leader = first;
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

    /** The ticker's check: false once the generation has ended and needs no more watching. */
    boolean nudgeIfQuiet(long now, long quietNanos) {
        if (ended) {
            return false;
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

    SamplingParams sampling() {
        return sampling;
    }

    List<String> stops() {
        return stops;
    }

    public long queuedAtNanos() {
        return queuedAtNanos;
    }

    void timeAtDelivery() {
        timedAtDelivery = true;
    }

    /** Whether the engine's listeners leave TTFT, inter-token and end-to-end latency to the API layer. */
    public boolean timedAtDelivery() {
        return timedAtDelivery;
    }

    /** Tokens this generation holds in its slot once started: its prompt and what it generated. */
    long heldTokens() {
        return prompt.length() + produced;
    }

    void countProduced() {
        produced++;
    }

    int producedTokens() {
        return produced;
    }

    /** Keeps a token's log-probabilities for the next delta. */
    void addLogprob(TokenLogprob logprob) {
        pendingLogprobs.add(logprob);
    }

    /** Emits generated text with the log-probabilities gathered since; nothing new is no event. */
    void emitText(String text) {
        if (!text.isEmpty() || !pendingLogprobs.isEmpty()) {
            emit(new GenerationEvent.Delta(text, pendingLogprobs.isEmpty() ? List.of() : List.copyOf(pendingLogprobs)));
            pendingLogprobs.clear();
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
