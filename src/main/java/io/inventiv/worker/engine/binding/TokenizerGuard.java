package io.inventiv.worker.engine.binding;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Keeps tokenization from overflowing the native stack (see {@link LlamaBinding#tokenize}):
 * large-stack threads, and a bound on the longest run of characters of one kind.
 */
final class TokenizerGuard {
    /** Measured: 16 MB of stack holds a 50,000-letter run; 256 MB, 100,000 with room to spare. */
    static final int MAX_RUN_CHARS = 100_000;
    private static final long STACK_BYTES = 256L * 1024 * 1024; // reserved, touched only as used

    static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(null, task, "tokenizer", STACK_BYTES);
        thread.setDaemon(true);
        return thread;
    });

    private TokenizerGuard() {
    }

    /** Refuses text with a run of whitespace or of non-whitespace longer than the bound. */
    static void requireShortRuns(String text) {
        int run = 0;
        boolean previousIsSpace = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            run = i > 0 && space == previousIsSpace ? run + 1 : 1;
            previousIsSpace = space;
            if (run > MAX_RUN_CHARS) {
                throw new IllegalArgumentException("The text contains a run of more than " + MAX_RUN_CHARS
                        + " characters without a break between words and spaces, which the tokenizer cannot take.");
            }
        }
    }
}
