package io.inventiv.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inventiv.worker.TestModels;
import io.inventiv.worker.engine.binding.LlamaBinding;
import io.inventiv.worker.engine.ModelFacts;
import io.inventiv.worker.engine.binding.ModelLoadOptions;
import io.inventiv.worker.engine.binding.NativeLibraryFolder;
import io.inventiv.worker.engine.SamplingParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admission, slots and the order of the end, on the real fixture model: generations are held in
 * their slots by the token-delay fault, the one control the server itself offers.
 */
class SchedulerTest {
    private static final long TOKEN_DELAY_MILLIS = 15;
    private static ModelBackend backend;

    /** What the scheduler tells its listener, and what was running when it did. */
    private static final class Recorder implements EngineListener {
        final List<String> started = new CopyOnWriteArrayList<>();
        final Map<String, GenerationResult> finished = new ConcurrentHashMap<>();
        final AtomicInteger runningNow = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        @Override
        public void onStarted(Generation generation, long atNanos) {
            started.add(generation.requestId());
            mostAtOnce.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
        }

        @Override
        public void onFinished(Generation generation, GenerationResult result) {
            if (result.startedAtNanos() != 0) {
                runningNow.decrementAndGet();
            }
            assertEquals(null, finished.put(generation.requestId(), result), "counted once");
        }
    }

    /** The fixture on the engine under test (TestModels.ENGINE). */
    @BeforeAll
    static void loadTheFixture() throws Exception {
        Path model = TestModels.tinyQwen();
        EngineChoice engine = EngineChoice.resolve(TestModels.ENGINE, null);
        assertEquals(TestModels.ENGINE, engine.name(), String.valueOf(engine.note()));
        if (engine.isNative()) {
            backend = NativeBackend.load(engine.library(), model, ModelFacts.inspect(model), 0, 2);
        } else {
            NativeLibraryFolder.usePerProcessFolder();
            backend = new BindingBackend(LlamaBinding.load(new ModelLoadOptions(model, 4 * 256, 4, 2, 0, 0, false),
                    ModelFacts.inspect(model)));
        }
    }

    private static SlotScheduler scheduler(int parallel, int maxQueue, EngineListener listener) {
        return backend.startScheduler(new EngineSettings(256, parallel, maxQueue, 256, TOKEN_DELAY_MILLIS), listener);
    }

    private static Generation generation(String id, int maxTokens, SlotScheduler scheduler) {
        return new Generation(id, new PreparedPrompt(new int[] {1, 2, 3}),
                new SamplingParams(maxTokens, 0, 1, 1, 0, 0, 0, 1, true, 7), List.of(), scheduler);
    }

    /** Admits {@code count} generations named g0, g1, … in that order. */
    private static List<Generation> admitAll(SlotScheduler scheduler, int count, int maxTokens) {
        List<Generation> admitted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Generation generation = generation("g" + i, maxTokens, scheduler);
            scheduler.admit(generation);
            admitted.add(generation);
        }
        return admitted;
    }

    private static GenerationResult awaitEnd(Generation generation) throws InterruptedException {
        while (true) {
            GenerationEvent event = generation.next();
            if (event instanceof GenerationEvent.Finished finished) {
                return finished.result();
            }
            assertFalse(event instanceof GenerationEvent.Failed, event.toString());
        }
    }

    @Test
    void admitsAsManyAsTheSlotsAndTheQueueHoldThenRefusesWithQueueFull() throws Exception {
        SlotScheduler scheduler = scheduler(2, 1, EngineListener.NONE);
        List<Generation> admitted = admitAll(scheduler, 3, 40);
        EngineException refused = assertThrows(EngineException.class,
                () -> scheduler.admit(generation("one-too-many", 40, scheduler)));
        assertEquals(EngineException.Kind.QUEUE_FULL, refused.kind());
        assertTrue(refused.getMessage().contains("all 2 slots are busy"), refused.getMessage());
        for (Generation generation : admitted) {
            assertEquals(40, awaitEnd(generation).completionTokens());
        }
    }

    @Test
    void neverMoreRunAtOnceThanThereAreSlots() throws Exception {
        Recorder recorder = new Recorder();
        SlotScheduler scheduler = scheduler(2, 8, recorder);
        for (Generation generation : admitAll(scheduler, 6, 8)) {
            awaitEnd(generation);
        }
        assertEquals(2, recorder.mostAtOnce.get(), "both slots were used, and never more");
        assertEquals(6, recorder.finished.size());
    }

    @Test
    void waitingRequestsStartInTheOrderTheyCame() throws Exception {
        Recorder recorder = new Recorder();
        SlotScheduler scheduler = scheduler(1, 8, recorder);
        for (Generation generation : admitAll(scheduler, 5, 4)) {
            awaitEnd(generation);
        }
        assertEquals(List.of("g0", "g1", "g2", "g3", "g4"), recorder.started);
    }

    @Test
    void aCancelledWaitingRequestLeavesTheQueueAtOnceAsAnAbortCountedOnce() throws Exception {
        Recorder recorder = new Recorder();
        SlotScheduler scheduler = scheduler(1, 4, recorder);
        Generation running = generation("running", 60, scheduler);
        Generation waiting = generation("waiting", 60, scheduler);
        scheduler.admit(running);
        scheduler.admit(waiting);
        while (scheduler.running() == 0) {
            Thread.sleep(5);
        }
        assertEquals(1, scheduler.waiting());
        waiting.cancel();
        waiting.cancel(); // a second cancel changes nothing
        GenerationResult aborted = awaitEnd(waiting);
        assertEquals(FinishReason.ABORT, aborted.finishReason());
        assertEquals(0, aborted.completionTokens());
        assertEquals(0, scheduler.waiting());
        assertEquals(1, scheduler.running(), "the running one keeps its slot");
        assertEquals(aborted, recorder.finished.get("waiting"));
        assertFalse(recorder.started.contains("waiting"), "it never got a slot");
        running.cancel();
        assertEquals(FinishReason.ABORT, awaitEnd(running).finishReason());
    }

    @Test
    void theClientHearsTheEndOnlyAfterItIsCountedAndItsSlotIsFree() throws Exception {
        Recorder recorder = new Recorder();
        SlotScheduler scheduler = scheduler(1, 4, recorder);
        for (int i = 0; i < 3; i++) {
            Generation generation = generation("g" + i, 5, scheduler);
            scheduler.admit(generation);
            GenerationResult result = awaitEnd(generation);
            assertEquals(result, recorder.finished.get("g" + i), "counted before the client heard");
            assertEquals(0, scheduler.running(), "the slot was free before the client heard");
            assertEquals(FinishReason.LENGTH, result.finishReason());
        }
    }

    @Test
    void drainRefusesNewWorkAndWaitsForWhatWasAccepted() throws Exception {
        SlotScheduler scheduler = scheduler(1, 4, EngineListener.NONE);
        Generation accepted = generation("accepted", 20, scheduler);
        Generation queued = generation("queued", 20, scheduler);
        scheduler.admit(accepted);
        scheduler.admit(queued);
        Thread drainer = Thread.ofVirtual().start(() -> assertDrains(scheduler));
        while (drainer.isAlive() && scheduler.waiting() + scheduler.running() > 0) {
            EngineException refused = tryAdmit(scheduler);
            if (refused != null) {
                assertEquals(EngineException.Kind.UNAVAILABLE, refused.kind());
                break;
            }
            Thread.sleep(2);
        }
        assertEquals(20, awaitEnd(accepted).completionTokens());
        assertEquals(20, awaitEnd(queued).completionTokens(), "queued work is finished too, not dropped");
        drainer.join();
        assertInstanceOf(EngineException.class, tryAdmit(scheduler), "still refusing after the drain");
    }

    @Test
    void drainGivesUpAfterItsTimeout() throws Exception {
        SlotScheduler scheduler = scheduler(1, 4, EngineListener.NONE);
        Generation longOne = generation("long", 200, scheduler);
        scheduler.admit(longOne);
        assertFalse(scheduler.drain(50));
        longOne.cancel();
        assertEquals(FinishReason.ABORT, awaitEnd(longOne).finishReason());
        assertTrue(scheduler.drain(5_000));
    }

    private static void assertDrains(SlotScheduler scheduler) {
        try {
            assertTrue(scheduler.drain(30_000));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Admits a throwaway generation; the refusal, or null if it was admitted (and then cancelled). */
    private static EngineException tryAdmit(SlotScheduler scheduler) {
        Generation probe = generation("probe", 1, scheduler);
        try {
            scheduler.admit(probe);
            probe.cancel();
            return null;
        } catch (EngineException e) {
            return e;
        }
    }
}
