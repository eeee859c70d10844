package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The side probe: it starts with the warm-up, and records only what the measured phase sees. */
class SideProbeTest {
    @Test
    void warmUpProbesAreSentButNotRecorded() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            SideProbe probe = new SideProbe(server.base(), List.of("/metrics"), 10);
            probe.warmupStarted();
            awaitHits(server, 3);
            probe.phaseStarted("repeat 1/1");
            int beforePhase = server.metricsHits.get();
            awaitHits(server, beforePhase + 3);
            probe.phaseEnded("repeat 1/1");
            int total = server.metricsHits.get();

            ProbeStats stats = probe.stats().get(0);
            assertTrue(stats.latencyMs().count() >= 2, "recorded during the phase: " + stats.latencyMs().count());
            // At most one probe was in flight when the phase began; every warm-up hit before it is left out.
            assertTrue(stats.latencyMs().count() <= total - beforePhase + 1,
                    stats.latencyMs().count() + " recorded of " + total + " hits, " + beforePhase + " before the phase");
            assertEquals(Map.of("200", stats.latencyMs().count()), stats.statuses());
        }
    }

    @Test
    void thePathsAreSpreadOverTheIntervalNotSentBackToBack() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            SideProbe probe = SideProbe.ofServer(server.base(), 200);
            probe.warmupStarted();
            awaitHits(server, 4);
            probe.phaseEnded("warm-up only");

            List<String> hits = List.copyOf(server.sideHits);
            for (int i = 1; i < hits.size(); i++) {
                String[] previous = hits.get(i - 1).split(" ");
                String[] current = hits.get(i).split(" ");
                assertTrue(!previous[0].equals(current[0]), "the paths alternate: " + hits);
                double gapMillis = (Long.parseLong(current[1]) - Long.parseLong(previous[1])) / 1e6;
                // Half the interval apart; back to back they would be about 1 ms apart.
                assertTrue(gapMillis >= 90, "only " + gapMillis + " ms between " + previous[0] + " and " + current[0]);
            }
        }
    }

    @Test
    void aZeroIntervalProbeSendsNothingAndReportsNothing() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            SideProbe probe = SideProbe.ofServer(server.base(), 0);
            probe.warmupStarted();
            probe.phaseStarted("repeat 1/1");
            Thread.sleep(50);
            probe.phaseEnded("repeat 1/1");
            assertEquals(0, server.metricsHits.get());
            assertNull(probe.stats());
        }
    }

    private static void awaitHits(FakeOpenAiServer server, int hits) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.metricsHits.get() < hits && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(server.metricsHits.get() >= hits, "the probe did not reach " + hits + " hits");
    }
}
