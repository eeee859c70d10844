package io.inventiv.worker.engine;

import java.util.List;

/**
 * Finds stop strings in streamed text, in Java rather than in llama.cpp, so that we know when
 * a stop string ended the generation (finish_reason "stop") and can exclude it from the output.
 * Text that might be the start of a stop string is held back until the next piece decides.
 */
final class StopStringMatcher {
    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private String matchedStop;

    StopStringMatcher(List<String> stops) {
        this.stops = stops;
    }

    /** Adds generated text; returns the text that is now safe to emit (maybe empty). */
    String accept(String text) {
        if (matchedStop != null) {
            return "";
        }
        if (stops.isEmpty()) {
            return text;
        }
        pending.append(text);
        int stopAt = earliestStop();
        if (stopAt >= 0) {
            String before = pending.substring(0, stopAt);
            pending.setLength(0);
            return before;
        }
        int keep = longestSuffixThatStartsAStop();
        String safe = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return safe;
    }

    /** The stop string that ended the text (vLLM reports it as stop_reason), or null. */
    String matchedStop() {
        return matchedStop;
    }

    /** Text held back at the end of generation, which turned out not to be a stop string. */
    String flush() {
        String rest = pending.toString();
        pending.setLength(0);
        return rest;
    }

    private int earliestStop() {
        int earliest = -1;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
                matchedStop = stop;
            }
        }
        return earliest;
    }

    private int longestSuffixThatStartsAStop() {
        String text = pending.toString();
        int longest = 0;
        for (String stop : stops) {
            for (int length = Math.min(stop.length() - 1, text.length()); length > longest; length--) {
                if (text.regionMatches(text.length() - length, stop, 0, length)) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
