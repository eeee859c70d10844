package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The alternation: who runs when, on which prompts, what each target's phase holds, who hears what. */
class PairedRunnerTest {
    /** A target that takes {@code millis} per request and logs each call as NAME:index:maxTokens. */
    private record Scripted(String name, long millis, List<String> calls) implements StreamDriver {
        @Override
        public StreamResult run(int requestIndex, int maxTokens) throws InterruptedException {
            calls.add(name + ":" + requestIndex + ":" + maxTokens);
            long start = System.nanoTime();
            Thread.sleep(millis);
            long end = System.nanoTime();
            return new StreamResult(null, null, start, start + 1, end, end, maxTokens, maxTokens, 8, new long[0]);
        }
    }

    /** Records what a side probe would hear, each event prefixed with the target's name when it has one. */
    private static final class Heard implements LoadRunner.PhaseListener {
        final String prefix;
        final List<String> events;

        Heard(List<String> events) {
            this("", events);
        }

        Heard(String name, List<String> events) {
            this.prefix = name.isEmpty() ? "" : name + ":";
            this.events = events;
        }

        @Override
        public void warmupStarted() {
            events.add(prefix + "warm-up");
        }

        @Override
        public void phaseStarted(String name) {
            events.add(prefix + "start");
        }

        @Override
        public void phaseEnded(String name) {
            events.add(prefix + "end");
        }
    }

    private static List<PairedRunner.Target> targets(StreamDriver first, StreamDriver second,
            LoadRunner.PhaseListener secondListener) {
        return List.of(new PairedRunner.Target(first, null), new PairedRunner.Target(second, secondListener));
    }

    @Test
    void oneStreamTargetsTakeTwoWavesEachOnTheSamePrompts() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        PairedRunner runner = new PairedRunner(targets(new Scripted("raw", 10, calls), new Scripted("ours", 20, calls),
                new Heard(calls)), BenchProgress.disabled());
        List<PhaseResult> phases = runner.run(new LoadPlan(1, 8, 5, 1, 2, 3, null, 1));

        assertEquals(List.of("warm-up", "raw:0:2", "ours:0:2", "end", // warm-up: its own prompts and budget
                "raw:1:5", "raw:2:5", "start", "ours:1:5", "end", "start", "ours:2:5", "end",
                "raw:3:5", "start", "ours:3:5", "end"), calls); // an odd last wave alone
        assertEquals(3, phases.get(0).results().size(), "warm-up is not measured");
        assertEquals(3, phases.get(1).results().size());
        assertTrue(phases.get(0).wallNanos() >= 30_000_000L, "the wall time is the target's own waves");
        assertTrue(phases.get(1).wallNanos() >= 60_000_000L);
        assertTrue(phases.get(1).wallNanos() < 60_000_000L + 3 * 200_000_000L, "and not the other target's");
    }

    @Test
    void wavesRunTheirRequestsTogetherOnTheSamePromptsForBothTargets() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        PairedRunner runner = new PairedRunner(targets(new Scripted("raw", 50, calls), new Scripted("ours", 50, calls),
                new Heard(new ArrayList<>())), BenchProgress.disabled());
        List<PhaseResult> phases = runner.run(new LoadPlan(2, 8, 5, 0, 1, 4, null, 1));

        // Waves of 2: raw 0,1 | raw 2,3 | ours 0,1 | ours 2,3; within a wave the order is free.
        assertEquals(Set.of("raw:0:5", "raw:1:5"), new TreeSet<>(calls.subList(0, 2)));
        assertEquals(Set.of("raw:2:5", "raw:3:5"), new TreeSet<>(calls.subList(2, 4)));
        assertEquals(Set.of("ours:0:5", "ours:1:5"), new TreeSet<>(calls.subList(4, 6)));
        assertEquals(Set.of("ours:2:5", "ours:3:5"), new TreeSet<>(calls.subList(6, 8)));
        assertEquals(4, phases.get(0).results().size());
        assertTrue(phases.get(0).wallNanos() < 4 * 50_000_000L, "two requests of a wave run at the same time");
    }

    @Test
    void threeTargetsTakeTheirTwoWavesInTurnEachHeardOnlyDuringItsOwnWaves() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        PairedRunner runner = new PairedRunner(List.of(
                new PairedRunner.Target(new Scripted("raw", 1, calls), null),
                new PairedRunner.Target(new Scripted("ours", 1, calls), new Heard("ours", calls)),
                new PairedRunner.Target(new Scripted("ls", 1, calls), new Heard("ls", calls))), BenchProgress.disabled());
        List<PhaseResult> phases = runner.run(new LoadPlan(1, 8, 5, 1, 2, 2, null, 1));

        assertEquals(List.of("ours:warm-up", "ls:warm-up", "raw:0:2", "ours:0:2", "ls:0:2", "ours:end", "ls:end",
                "raw:1:5", "raw:2:5", "ours:start", "ours:1:5", "ours:end", "ours:start", "ours:2:5", "ours:end",
                "ls:start", "ls:1:5", "ls:end", "ls:start", "ls:2:5", "ls:end"), calls);
        assertEquals(3, phases.size());
        phases.forEach(phase -> assertEquals(2, phase.results().size()));
    }

    @Test
    void turnOrderThreeOfThreeTargetsGivesTheLastTargetTheFirstTurnOfEveryBlock() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        PairedRunner runner = new PairedRunner(List.of(
                new PairedRunner.Target(new Scripted("raw", 1, calls), null),
                new PairedRunner.Target(new Scripted("ours", 1, calls), null),
                new PairedRunner.Target(new Scripted("ls", 1, calls), null)), BenchProgress.disabled(), 3);
        List<PhaseResult> phases = runner.run(new LoadPlan(1, 8, 5, 1, 2, 4, null, 1));

        assertEquals(List.of("ls:0:2", "ours:0:2", "raw:0:2",
                "ls:1:5", "ls:2:5", "ours:1:5", "ours:2:5", "raw:1:5", "raw:2:5",
                "ls:3:5", "ls:4:5", "ours:3:5", "ours:4:5", "raw:3:5", "raw:4:5"), calls);
        assertEquals(List.of(4, 4, 4), phases.stream().map(phase -> phase.results().size()).toList(),
                "results stay in the targets' order");
    }

    @Test
    void overThreeRoundsEachTargetTakesEachPlaceAndOverSixEachOrderComesOnce() {
        List<String> orders = new ArrayList<>();
        for (int order = 0; order < 6; order++) {
            orders.add(Arrays.toString(PairedRunner.turns(3, order)));
        }
        assertEquals(List.of("[0, 1, 2]", "[1, 2, 0]", "[2, 0, 1]", "[2, 1, 0]", "[1, 0, 2]", "[0, 2, 1]"), orders);
        assertEquals(Arrays.toString(PairedRunner.turns(3, 0)),
                Arrays.toString(PairedRunner.turns(3, 6)), "and then again");
        assertEquals("[1, 0]", Arrays.toString(PairedRunner.turns(2, 1)), "two targets: the other first");
        assertThrows(IllegalArgumentException.class, () -> PairedRunner.turns(3, -1));
    }

    @Test
    void requestCountsMustFillWholeWaves() {
        PairedRunner runner = new PairedRunner(targets(new Scripted("a", 1, new ArrayList<>()),
                new Scripted("b", 1, new ArrayList<>()), new Heard(new ArrayList<>())), BenchProgress.disabled());
        assertThrows(IllegalArgumentException.class, () -> runner.run(new LoadPlan(2, 8, 5, 0, 1, 3, null, 1)));
        assertThrows(IllegalArgumentException.class, () -> runner.run(new LoadPlan(1, 8, 5, 0, 1, 0,
                java.time.Duration.ofSeconds(1), 1)));
        assertThrows(IllegalArgumentException.class, () -> new PairedRunner(
                List.of(new PairedRunner.Target(new Scripted("a", 1, new ArrayList<>()), null)), BenchProgress.disabled()));
    }

    @Test
    void everyTargetFollowsItselfInHalfItsWavesWhateverTheNumberOfTargets() throws Exception {
        for (int count = 2; count <= 4; count++) {
            List<String> calls = Collections.synchronizedList(new ArrayList<>());
            List<PairedRunner.Target> targets = new ArrayList<>();
            for (int t = 0; t < count; t++) {
                targets.add(new PairedRunner.Target(new Scripted("t" + t, 0, calls), null));
            }
            new PairedRunner(targets, BenchProgress.disabled()).run(new LoadPlan(1, 8, 5, 0, 1, 8, null, 1));

            for (int t = 0; t < count; t++) {
                String name = "t" + t + ":";
                int waves = 0;
                int afterItself = 0;
                for (int i = 0; i < calls.size(); i++) {
                    if (calls.get(i).startsWith(name)) {
                        waves++;
                        afterItself += i > 0 && calls.get(i - 1).startsWith(name) ? 1 : 0;
                    }
                }
                assertEquals(8, waves);
                assertEquals(4, afterItself, count + " targets: " + calls);
            }
        }
    }
}
