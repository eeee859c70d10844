package io.inventiv.worker.engine;

import io.inventiv.worker.engine.jni.NativeContext;
import io.inventiv.worker.engine.jni.NativeModel;
import io.inventiv.worker.engine.jni.NativeSampler;
import java.lang.System.Logger.Level;

/**
 * The native engine's decode loop, on one thread: each step admits waiting requests into free
 * slots, builds one batch of every decoding slot's next token plus a chunk of prompt tokens, runs
 * one llama_decode over it, and samples each slot's next token. A long prompt is evaluated a chunk
 * per step, so running streams keep their pace and a disconnect is noticed between chunks.
 *
 * <p>Accounting is exact by construction: {@code completion_tokens} counts sampled tokens, and the
 * inter-token histogram gets one gap per token.
 */
final class BatchScheduler extends SlotScheduler {
    private static final System.Logger LOG = System.getLogger(BatchScheduler.class.getName());

    private final NativeModel model;
    private final NativeContext context;
    private final EngineListener listener;
    private final BatchSlot[] slots;
    private final PrefillBudget prefill;
    private final int penaltyWindow;
    private final long tokenDelayMillis;
    private final int[] endOfGeneration;
    private final int[] unsafeUtf8;
    private final SlotAdmission admission;
    private final Thread loop;

    BatchScheduler(NativeModel model, NativeContext context, EngineSettings settings, EngineListener listener) {
        super(new AdmissionQueue(settings.parallel(), settings.maxQueue(), listener), settings.parallel(),
                settings.deterministic());
        this.model = model;
        this.context = context;
        this.listener = listener;
        this.slots = new BatchSlot[settings.parallel()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new BatchSlot(i);
        }
        this.prefill = new PrefillBudget(context.capacity());
        this.penaltyWindow = settings.maxModelLen();
        this.tokenDelayMillis = settings.tokenDelayMillis();
        this.admission = new SlotAdmission(slots, context, this::start);
        this.endOfGeneration = model.endOfGenerationTokens();
        this.unsafeUtf8 = model.unsafeUtf8Tokens();
        this.loop = Thread.ofPlatform().daemon().name("decode-loop").start(this::loop);
    }

    @Override
    boolean supportsDeterministic() {
        return true;
    }

    /** Ends the decode loop (the engine has drained), then frees the KV cache. */
    @Override
    void stop() throws InterruptedException {
        queue.stop();
        loop.join();
        context.close();
    }

    private void loop() {
        while (true) {
            try {
                if (!step() && !queue.awaitWork()) {
                    return;
                }
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "the decode step failed; ending the requests in it", e);
                failActive("generation failed: " + e.getMessage());
            }
        }
    }

    /** One decode step; false when there was nothing to do. */
    private boolean step() {
        boolean alone = deterministic; // once per step: the admin API may switch it meanwhile
        admission.admit(queue, alone);
        long now = System.nanoTime();
        boolean any = false;
        for (BatchSlot slot : slots) {
            if (!slot.isFree() && slot.generation.isCancelled()) {
                end(slot, slot.completionTokens, FinishReason.ABORT, null, now);
            }
            any |= !slot.isFree();
        }
        if (!any) {
            return false;
        }
        if (alone) {
            for (BatchSlot slot : slots) {
                if (!slot.isFree() && !decodeAlone(slot)) {
                    return true;
                }
            }
        } else if (!decodeTogether()) {
            return true;
        }
        TokenDelay.sleep(tokenDelayMillis);
        return true;
    }

    /** Every slot's rows in one decode: decoding streams and prompt chunks within the prefill budget. */
    private boolean decodeTogether() {
        int decoding = 0;
        for (BatchSlot slot : slots) {
            slot.row = -1;
            if (!slot.isFree() && slot.pendingToken >= 0) {
                slot.row = context.add(slot.pendingToken, slot.cachedLength(), slot.sequence, true);
                slot.cache(slot.pendingToken);
                slot.pendingToken = -1;
                decoding++;
            }
        }
        int prefilling = 0;
        for (BatchSlot slot : slots) {
            prefilling += slot.isPrefilling() ? 1 : 0;
        }
        int budget = prefill.tokensFor(decoding, prefilling, context.capacity() - decoding);
        int prefilled = 0;
        for (BatchSlot slot : slots) {
            if (budget - prefilled > 0 && slot.isPrefilling()) {
                prefilled += addPromptChunk(slot, budget - prefilled);
            }
        }
        long decodeStart = System.nanoTime();
        if (!context.decode()) {
            failActive("the KV cache is full");
            return false;
        }
        long decodedAt = System.nanoTime();
        prefill.observe(decoding, prefilled, decodedAt - decodeStart);
        sampleRows();
        return true;
    }

    /**
     * One slot's rows alone in a decode (deterministic mode): its numerics then never depend on
     * what other requests are doing. Prompts go in whole batches, so their chunks are always the same.
     */
    private boolean decodeAlone(BatchSlot only) {
        for (BatchSlot slot : slots) {
            slot.row = -1;
        }
        if (only.pendingToken >= 0) {
            only.row = context.add(only.pendingToken, only.cachedLength(), only.sequence, true);
            only.cache(only.pendingToken);
            only.pendingToken = -1;
        } else if (only.isPrefilling()) {
            addPromptChunk(only, context.capacity());
        } else {
            return true;
        }
        if (!context.decode()) {
            failActive("the KV cache is full");
            return false;
        }
        sampleRows();
        return true;
    }

    /** Samples every slot that has a row in the last decode, and takes its token. */
    private void sampleRows() {
        for (BatchSlot slot : slots) {
            if (!slot.isFree() && slot.row >= 0) {
                int token;
                try {
                    token = context.sample(slot.sampler, slot.row);
                } catch (RuntimeException e) {
                    // This request's sampler failed (a grammar left no token): it ends, the others go on.
                    LOG.log(Level.WARNING, "request " + slot.generation.requestId() + " could not sample", e);
                    release(slot, new GenerationEvent.Failed("sampling failed: " + e.getMessage()), System.nanoTime());
                    continue;
                }
                Integer alternatives = slot.generation.sampling().logprobs();
                if (alternatives != null) {
                    slot.generation.addLogprob(TokenLogprob.read(model, context, slot.row, token, alternatives));
                }
                accept(slot, token, System.nanoTime());
            }
        }
    }

    /** Adds up to {@code budget} prompt tokens of a slot; the prompt's last one asks for logits. */
    private int addPromptChunk(BatchSlot slot, int budget) {
        int[] prompt = slot.generation.prompt().tokens();
        int n = Math.min(budget, prompt.length - slot.promptCursor);
        for (int i = 0; i < n; i++) {
            int token = prompt[slot.promptCursor];
            boolean last = ++slot.promptCursor == prompt.length;
            int row = context.add(token, slot.cachedLength(), slot.sequence, last);
            slot.cache(token);
            if (last) {
                slot.row = row;
            }
        }
        return n;
    }

    /** Tokens a request may not sample: end tokens under ignore_eos, misread UTF-8 under a grammar. */
    private int[] banned(SamplingParams sampling) {
        int[] ends = sampling.ignoreEos() ? endOfGeneration : new int[0];
        int[] partial = sampling.grammar() != null ? unsafeUtf8 : new int[0];
        int[] banned = java.util.Arrays.copyOf(ends, ends.length + partial.length);
        System.arraycopy(partial, 0, banned, ends.length, partial.length);
        return banned;
    }

    private void start(BatchSlot slot, Generation generation, int reused) {
        long now = System.nanoTime();
        if (generation.isCancelled()) {
            queue.finish(generation, finished(generation, 0, FinishReason.ABORT, null, now, 0, null));
            return;
        }
        NativeSampler sampler;
        try {
            SamplingParams sampling = generation.sampling();
            int[] banned = banned(sampling);
            float[] minusInfinity = new float[banned.length];
            java.util.Arrays.fill(minusInfinity, Float.NEGATIVE_INFINITY);
            sampler = context.newSampler(sampling, sampling.grammar(), banned, minusInfinity, penaltyWindow);
            context.truncate(slot.sequence, reused);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "request " + generation.requestId() + " could not start", e);
            queue.finish(generation, new GenerationEvent.Failed("generation could not start: " + e.getMessage()));
            return;
        }
        slot.start(generation, sampler, reused, now);
        occupy(slot.sequence, generation);
        listener.onStarted(generation, now);
        listener.onPromptCache(generation, generation.promptTokens(), reused);
    }

    /** Handles a slot's newly sampled token: text, stop strings, budget and end of generation. */
    private void accept(BatchSlot slot, int token, long now) {
        Generation generation = slot.generation;
        if (slot.completionTokens++ == 0) {
            slot.firstTokenAt = now;
            listener.onFirstToken(generation, now);
        } else {
            listener.onNextToken(generation, now - slot.previousTokenAt);
        }
        slot.previousTokenAt = now;
        generation.countProduced();
        if (model.isEndOfGeneration(token) && !generation.sampling().ignoreEos()) {
            generation.emitText(slot.remainingText());
            end(slot, slot.completionTokens, FinishReason.STOP, null, now);
            return;
        }
        generation.emitText(slot.textOf(model, token));
        if (slot.stops.matchedStop() != null) {
            end(slot, slot.completionTokens, FinishReason.STOP, slot.stops.matchedStop(), now);
        } else if (slot.completionTokens >= generation.maxTokens()) {
            generation.emitText(slot.remainingText());
            end(slot, slot.completionTokens, FinishReason.LENGTH, null, now);
        } else {
            slot.pendingToken = token;
        }
    }

    private void end(BatchSlot slot, int completionTokens, FinishReason reason, String stopString, long now) {
        Generation generation = slot.generation;
        release(slot, finished(generation, completionTokens, reason, stopString, slot.startedAt, slot.firstTokenAt,
                slot.reusedTokens), now);
    }

    /** Frees a slot from its generation, which then hears {@code last}: the one way a running request ends. */
    private void release(BatchSlot slot, GenerationEvent last, long now) {
        Generation generation = slot.generation;
        slot.release(now);
        occupy(slot.sequence, null);
        queue.finish(generation, last);
    }

    /** Ends every running request with an error; their sequences are cleared for the next ones. */
    private void failActive(String message) {
        context.discardBatch();
        for (BatchSlot slot : slots) {
            slot.forgetCache();
            if (slot.isFree()) {
                continue;
            }
            release(slot, new GenerationEvent.Failed(message), System.nanoTime());
        }
    }

    private static GenerationEvent finished(Generation generation, int completionTokens, FinishReason reason,
            String stopString, long startedAt, long firstTokenAt, Integer cachedTokens) {
        return new GenerationEvent.Finished(new GenerationResult(generation.promptTokens(), completionTokens,
                reason, stopString, generation.maxTokens(), generation.queuedAtNanos(), startedAt, firstTokenAt,
                System.nanoTime(), cachedTokens));
    }
}
