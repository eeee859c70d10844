package io.inventiv.worker.tools.soak;

import io.inventiv.worker.tools.soak.SoakClient.Outcome;
import java.util.ArrayList;
import java.util.List;

/** The clients' own count of what happened, to hold the server's counters against. */
final class SoakTally {
    long completed;
    long dropped;
    long stop;
    long length;
    long promptTokens;
    long completionTokens;
    final List<String> errors = new ArrayList<>();

    synchronized void add(Outcome outcome) {
        if (outcome.error() != null || outcome.status() != 200) {
            if (errors.size() < 20) {
                errors.add(outcome.error() != null ? outcome.error() : "status " + outcome.status());
            } else {
                errors.set(19, "… and more (" + (errors.size()) + "+)");
            }
            return;
        }
        promptTokens += outcome.promptTokens();
        if (outcome.dropped()) {
            dropped++;
            return;
        }
        completed++;
        completionTokens += outcome.completionTokens();
        if ("stop".equals(outcome.finishReason())) {
            stop++;
        } else {
            length++;
        }
    }

    synchronized long requests() {
        return completed + dropped;
    }
}
