package io.inventiv.worker.config;

/**
 * Latency shaping on real tokens: each piece of content is held back until its target time, and
 * never made up. The first piece is due {@code ttft + prefillPerToken × prompt tokens} after the
 * request arrived, each next one an inter-token latency after the previous; each figure is drawn
 * from a normal distribution with its deviation, and multiplied by {@code 1 + loadFactor ×
 * running requests}. When real inference is slower than a target, the real time stands.
 */
public record LatencySettings(double ttftMs, double ttftStdMs, double itlMs, double itlStdMs,
        double prefillPerTokenMs, double loadFactor) {
    public static final LatencySettings NONE = new LatencySettings(0, 0, 0, 0, 0, 0);

    public LatencySettings {
        String[] names = {"LATENCY_TTFT_MS", "LATENCY_TTFT_STD_MS", "LATENCY_ITL_MS", "LATENCY_ITL_STD_MS",
            "LATENCY_PREFILL_PER_TOKEN_MS", "LATENCY_LOAD_FACTOR"};
        double[] values = {ttftMs, ttftStdMs, itlMs, itlStdMs, prefillPerTokenMs, loadFactor};
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0) || Double.isInfinite(values[i])) {
                throw new IllegalArgumentException(names[i] + " must be finite and non-negative, got " + values[i] + ".");
            }
        }
    }

    public boolean active() {
        return ttftMs > 0 || itlMs > 0 || prefillPerTokenMs > 0;
    }
}
