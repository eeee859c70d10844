package io.inventiv.worker.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Faults injected without any header, set at start: a share of requests, every Nth request, or
 * every request naming one model alias fails with one of {@code errors}, chosen at random.
 *
 * @param errorRate the share of model requests that fail, from 0 to 1
 * @param errors    what they fail with (vLLM's error bodies): statuses or named kinds
 * @param everyNth  every Nth model request fails (0: none)
 * @param model     requests naming this alias fail (null: none)
 */
public record FaultSettings(double errorRate, List<ErrorKind> errors, int everyNth, String model) {
    public static final FaultSettings NONE = new FaultSettings(0, List.of(ErrorKind.parse("503")), 0, null);

    public FaultSettings {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("FAULT_ERROR_RATE must be from 0 to 1, got " + errorRate + ".");
        }
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("FAULT_ERROR_STATUSES must name at least one status or kind.");
        }
        if (everyNth < 0) {
            throw new IllegalArgumentException("FAULT_EVERY_N must be 0 (off) or more, got " + everyNth + ".");
        }
        errors = List.copyOf(errors);
        model = model == null || model.isBlank() ? null : model;
    }

    /** Reads FAULT_ERROR_STATUSES' comma-separated list of statuses and named kinds. */
    public static List<ErrorKind> errors(String list) {
        List<ErrorKind> errors = new ArrayList<>();
        for (String item : list.split(",")) {
            try {
                errors.add(ErrorKind.parse(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("FAULT_ERROR_STATUSES: " + e.getMessage());
            }
        }
        return errors;
    }

    public boolean active() {
        return errorRate > 0 || everyNth > 0 || model != null;
    }
}
