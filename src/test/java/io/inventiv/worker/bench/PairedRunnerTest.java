package io.inventiv.worker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The alternation: who runs when, on which prompt, and what each target's phase holds. */
class PairedRunnerTest {
    /** A target that takes {@code millis} per request and logs each call as NAME:index:maxTokens. */
    private record Scripted(String name, long millis, List<String> calls) implements StreamDriver {
        @Override
        public StreamResult run(int requestIndex, int maxTokens) {
            calls.add(name + ":" + requestIndex + ":" + maxTokens);
            long start = 1_000_000_000L * calls.size();
            long end = start + millis * 1_000_000;
            return new StreamResult(null, null, start, start + 1, end, end, maxTokens, maxTokens, 8, new long[0]);
        }
    }

    @Test
    void pairsAlternateWhoGoesFirstAndShareTheirPrompt() throws Exception {
        List<String> calls = new ArrayList<>();
        PairedRunner runner = new PairedRunner(new Scripted("raw", 100, calls), new Scripted("ours", 120, calls),
                Progress.disabled());
        PairedRunner.Pair pair = runner.run(new LoadPlan(1, 8, 5, 1, 2, 3, null, 1));

        assertEquals(List.of("raw:0:2", "ours:0:2", // warm-up: its own prompts and token budget
                "raw:1:5", "ours:1:5", "ours:2:5", "raw:2:5", "raw:3:5", "ours:3:5"), calls);
        assertEquals(3, pair.first().results().size(), "warm-up is not measured");
        assertEquals(3, pair.second().results().size());
        assertEquals(300_000_000L, pair.first().wallNanos(), "one stream: the wall time is its requests' time");
        assertEquals(360_000_000L, pair.second().wallNanos());
    }

    @Test
    void onlyOneStreamCountedRequestsAreAccepted() {
        PairedRunner runner = new PairedRunner(new Scripted("a", 1, new ArrayList<>()),
                new Scripted("b", 1, new ArrayList<>()), Progress.disabled());
        assertThrows(IllegalArgumentException.class, () -> runner.run(new LoadPlan(2, 8, 5, 0, 0, 3, null, 1)));
        assertThrows(IllegalArgumentException.class, () -> runner.run(new LoadPlan(1, 8, 5, 0, 0, 0,
                java.time.Duration.ofSeconds(1), 1)));
    }
}
