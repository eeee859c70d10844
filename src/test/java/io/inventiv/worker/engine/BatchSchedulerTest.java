package io.inventiv.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inventiv.worker.TestModels;
import io.inventiv.worker.engine.jni.NativeLibrary;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The native engine's decode loop: chunked prompts beside running streams, and cancellation between chunks. */
class BatchSchedulerTest {
    private static final long TOKEN_DELAY_MILLIS = 15;
    private static NativeBackend backend;

    @BeforeAll
    static void load() throws Exception {
        assumeTrue(TestModels.ENGINE.equals("native"), "runs in the native-engine pass");
        Path model = TestModels.tinyQwen();
        backend = NativeBackend.load(NativeLibrary.load(NativeLibrary.defaultFolder()), model, ModelFacts.inspect(model),
                0, 2);
    }

    private static Generation generation(String id, int[] prompt, int maxTokens, SlotScheduler scheduler) {
        return new Generation(id, new PreparedPrompt(prompt), new SamplingParams(maxTokens, 0, 1, 0, 0, 0, 0, 1, true, 7),
                List.of(), scheduler);
    }

    private static GenerationEvent lastEvent(Generation generation) throws InterruptedException {
        while (true) {
            GenerationEvent event = generation.next();
            if (event instanceof GenerationEvent.Finished || event instanceof GenerationEvent.Failed) {
                return event;
            }
        }
    }

    @Test
    void aLongPromptCancelledWhileItIsEvaluatedFreesItsSlotBeforeItsFirstToken() throws Exception {
        CountDownLatch longOneStarted = new CountDownLatch(1);
        EngineListener listener = new EngineListener() {
            @Override
            public void onStarted(Generation generation, long atNanos) {
                if (generation.requestId().equals("long")) {
                    longOneStarted.countDown();
                }
            }
        };
        SlotScheduler scheduler = backend.startScheduler(new EngineSettings(1024, 2, 4, 256, TOKEN_DELAY_MILLIS),
                listener);
        Generation stream = generation("stream", new int[] {1, 2, 3}, 120, scheduler);
        scheduler.admit(stream);
        while (scheduler.running() == 0) {
            Thread.sleep(2);
        }
        int[] longPrompt = new int[1000];
        for (int i = 0; i < longPrompt.length; i++) {
            longPrompt[i] = 1 + i % 200;
        }
        Generation longOne = generation("long", longPrompt, 8, scheduler);
        scheduler.admit(longOne);
        longOneStarted.await(10, TimeUnit.SECONDS);
        longOne.cancel();

        GenerationResult aborted = assertInstanceOf(GenerationEvent.Finished.class, lastEvent(longOne)).result();
        assertEquals(FinishReason.ABORT, aborted.finishReason());
        assertEquals(0, aborted.firstTokenAtNanos(), "its prompt was never finished: the slot was freed between chunks");
        assertEquals(1, scheduler.running(), "the stream still runs");
        GenerationResult streamed = assertInstanceOf(GenerationEvent.Finished.class, lastEvent(stream)).result();
        assertEquals(120, streamed.completionTokens(), "the stream beside it was not disturbed");
    }

    @Test
    void completionTokensCountEverySampledTokenWhenTheModelStopsByItselfOnCjkAndEmoji() throws Exception {
        // A grammar makes the random-weights fixture spell this text in byte-level tokens (several per
        // character), then allows only end-of-generation tokens, so the model stops by itself.
        // The emoji is in the BMP: a grammar never starts a character with a lone F0 byte (Utf8Fragments).
        String text = "h\u00e9llo \u4e16\u754c \u263a";
        String grammar = "root ::= \"" + text + "\"";
        SlotScheduler scheduler = backend.startScheduler(new EngineSettings(256, 1, 4, 256, 0), EngineListener.NONE);
        int[] prompt = backend.tokenize("Say it:");
        int stoppedAt = -1;
        for (int budget = 1; budget <= 48 && stoppedAt < 0; budget++) {
            Generation generation = new Generation("g" + budget, new PreparedPrompt(prompt),
                    new SamplingParams(budget, 0, 1, 0, 0, 0, 0, 1, false, 7, grammar, null), List.of(), scheduler);
            scheduler.admit(generation);
            StringBuilder written = new StringBuilder();
            GenerationEvent event;
            while (!((event = generation.next()) instanceof GenerationEvent.Finished)) {
                assertInstanceOf(GenerationEvent.class, event);
                if (event instanceof GenerationEvent.Failed failed) {
                    throw new AssertionError(failed.message());
                }
                if (event instanceof GenerationEvent.Delta delta) {
                    written.append(delta.text());
                }
            }
            GenerationResult result = ((GenerationEvent.Finished) event).result();
            assertEquals(budget, result.completionTokens(), "every sampled token counted, budget " + budget);
            if (result.finishReason() == FinishReason.STOP) {
                assertEquals(text, written.toString());
                stoppedAt = budget;
            } else {
                assertEquals(FinishReason.LENGTH, result.finishReason());
                String whole = written.toString().replace("\ufffd", "");
                assertEquals(text.substring(0, whole.length()), whole, "a cut generation wrote a prefix of the text");
            }
        }
        // Every smaller budget was cut at its length: the one that stopped sampled exactly that many.
        assertTrue(stoppedAt > 1, "it stopped by itself within 48 tokens, at " + stoppedAt);
    }

    @Test
    void aPromptAloneTakesWholeBatchesAndBesideStreamsAMeasuredChunk() {
        PrefillBudget budget = new PrefillBudget(512);
        assertEquals(512, budget.tokensFor(0, 1, 512), "alone, a prompt fills the batch");
        assertEquals(509, budget.tokensFor(1, 3, 509), "a burst of arrivals fills it too");
        assertEquals(PrefillBudget.FIRST_CHUNK, budget.tokensFor(3, 1, 509), "before anything is measured");
        budget.observe(3, 0, 40_000_000); // a step of 3 streams: 40 ms
        budget.observe(3, 2, 40_000_000 + 2 * 2_500_000L); // each prompt token adds 2.5 ms
        assertEquals(11, budget.tokensFor(3, 1, 509), "0.7 × 40 ms of prompt tokens at 2.5 ms each");
        assertEquals(2, budget.tokensFor(3, 1, 2), "nor more than the batch has room for");
        budget.observe(3, 12, 40_000_000 + 12 * 100_000_000L);
        assertEquals(PrefillBudget.SMALLEST_CHUNK, budget.tokensFor(3, 1, 509), "never less than the smallest chunk");
    }
}
