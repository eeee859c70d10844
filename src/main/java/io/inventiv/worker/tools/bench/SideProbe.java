package io.inventiv.worker.tools.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * While the measured load runs, GETs each side path (/metrics, /v1/models) once every
 * {@code intervalMillis}, as a monitoring agent and a readiness check would, and records how
 * long the whole answer took. It has its own client, hence its own connection: its requests
 * must not queue behind the streams.
 */
public final class SideProbe implements LoadRunner.PhaseListener {
    private final LoopbackHttp client;
    private final List<String> paths;
    private final long intervalMillis;
    private final Map<String, List<Double>> latencies = new LinkedHashMap<>();
    private final Map<String, Map<String, Integer>> statuses = new LinkedHashMap<>();
    private volatile boolean running;
    private volatile boolean recording;
    private Thread thread;

    /** /metrics and /v1/models, every {@code intervalMillis}; with 0, a probe that does nothing. */
    public static SideProbe ofServer(URI base, long intervalMillis) {
        return new SideProbe(base, List.of("/metrics", "/v1/models"), intervalMillis);
    }

    public SideProbe(URI base, List<String> paths, long intervalMillis) {
        this.client = new LoopbackHttp(base, Duration.ofSeconds(5));
        this.paths = List.copyOf(paths);
        this.intervalMillis = intervalMillis;
        for (String path : paths) {
            latencies.put(path, new ArrayList<>());
            statuses.put(path, new TreeMap<>());
        }
    }

    /**
     * Probes from the warm-up on, unrecorded: a monitoring agent scrapes a server all its life,
     * so the server's side paths are measured warm, as the generation path is.
     */
    @Override
    public void warmupStarted() {
        if (disabled()) {
            return;
        }
        startLoop();
    }

    @Override
    public void phaseStarted(String name) {
        if (disabled()) {
            return;
        }
        startLoop();
        recording = true;
    }

    @Override
    public void phaseEnded(String name) {
        if (thread == null) {
            return;
        }
        recording = false;
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void startLoop() {
        if (thread == null) {
            running = true;
            thread = Thread.ofPlatform().daemon().name("bench-side-probe").start(this::loop);
        }
    }

    private boolean disabled() {
        return intervalMillis <= 0;
    }

    /** What was recorded per path; null for a probe that does nothing. */
    public synchronized List<ProbeStats> stats() {
        if (disabled()) {
            return null;
        }
        List<ProbeStats> stats = new ArrayList<>();
        for (String path : paths) {
            stats.add(new ProbeStats(path, Distribution.of(latencies.get(path)), Map.copyOf(statuses.get(path))));
        }
        return stats;
    }

    /**
     * Spreads the paths evenly over the interval: each request comes after a pause, as from
     * independent monitors. Sent back to back, only the first found the connection idle on both
     * sides and paid for waking it, so the order decided which path looked slower
     * (docs/DECISIONS.md, "Side probes").
     */
    private void loop() {
        long slotNanos = intervalMillis * 1_000_000 / paths.size();
        long next = System.nanoTime();
        while (running) {
            for (String path : paths) {
                long sleepMillis = (next - System.nanoTime()) / 1_000_000;
                if (sleepMillis > 0) {
                    try {
                        Thread.sleep(sleepMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running) {
                    return;
                }
                probe(path);
                // A slow answer delays the next probe; it is never made up for with a burst.
                next = Math.max(next + slotNanos, System.nanoTime());
            }
        }
    }

    private void probe(String path) {
        boolean recorded = recording;
        long start = System.nanoTime();
        String status;
        try (LoopbackHttp.Response response = client.get(path, Duration.ofSeconds(10))) {
            response.body().transferTo(OutputSink.INSTANCE);
            status = Integer.toString(response.status());
        } catch (IOException e) {
            status = "io";
        }
        if (!recorded || !recording) {
            return; // a warm-up probe, or the phase ended mid-request: not a sample
        }
        double millis = (System.nanoTime() - start) / 1e6;
        synchronized (this) {
            statuses.get(path).merge(status, 1, Integer::sum);
            if (status.equals("200")) {
                latencies.get(path).add(millis);
            }
        }
    }

    /** Discards bytes: the probe times reading the whole body, not what it says. */
    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
