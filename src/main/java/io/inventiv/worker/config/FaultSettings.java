package io.inventiv.worker.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Faults injected without any header, set at start: a share of requests, every Nth request, or
 * every request naming one model alias fails with one of {@code statuses}, chosen at random.
 *
 * @param errorRate the share of model requests that fail, from 0 to 1
 * @param statuses  the statuses they fail with (vLLM's error bodies), each 400 to 599
 * @param everyNth  every Nth model request fails (0: none)
 * @param model     requests naming this alias fail (null: none)
 */
public record FaultSettings(double errorRate, List<Integer> statuses, int everyNth, String model) {
    public static final FaultSettings NONE = new FaultSettings(0, List.of(503), 0, null);

    public FaultSettings {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("FAULT_ERROR_RATE must be from 0 to 1, got " + errorRate + ".");
        }
        if (statuses.isEmpty() || statuses.stream().anyMatch(s -> s < 400 || s > 599)) {
            throw new IllegalArgumentException("FAULT_ERROR_STATUSES must list statuses from 400 to 599, got "
                    + statuses + ".");
        }
        if (everyNth < 0) {
            throw new IllegalArgumentException("FAULT_EVERY_N must be 0 (off) or more, got " + everyNth + ".");
        }
        statuses = List.copyOf(statuses);
        model = model == null || model.isBlank() ? null : model;
    }

    /** Reads FAULT_ERROR_STATUSES' comma-separated list. */
    public static List<Integer> statuses(String list) {
        List<Integer> statuses = new ArrayList<>();
        for (String item : list.split(",")) {
            try {
                statuses.add(Integer.parseInt(item.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("FAULT_ERROR_STATUSES must be a comma-separated list of statuses, "
                        + "got '" + list + "'.");
            }
        }
        return statuses;
    }

    public boolean active() {
        return errorRate > 0 || everyNth > 0 || model != null;
    }
}
