package io.inventiv.worker.engine;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Keeps tokenization from overflowing the native stack: large-stack threads, and a bound on the
 * longest run of characters of one kind. Both engines tokenize through it.
 *
 * <p>Byte-level BPE vocabularies (Qwen2's among them) may pre-split text with std::regex, which
 * recurses once per character of a run: about 330 bytes of native stack each, so a run of ~3,000
 * letters overflows a normal thread stack and the whole process dies (SIGSEGV).
 *
 * <p>Stack pages a thread has touched stay resident until the thread ends, and a run takes about
 * 330 bytes of native stack per character, so texts with long runs go to threads that end when
 * idle (docs/DECISIONS.md, "Short-lived tokenizer threads"), and everything else to two threads
 * that live as long as the process and stay shallow.
 */
public final class TokenizerGuard {
    /** Measured: 16 MB of stack holds a 50,000-letter run; 256 MB, 100,000 with room to spare. */
    static final int MAX_RUN_CHARS = 100_000;
    /** Runs up to this length touch under 1 MB of stack, which the pooled threads may keep. */
    static final int POOLED_RUN_CHARS = 2_000;
    private static final long STACK_BYTES = 256L * 1024 * 1024; // reserved, touched only as used

    private static final ExecutorService POOLED = Executors.newFixedThreadPool(2, threads("tokenizer"));
    /** At most two at once, like the pool; each thread ends as soon as no work waits for it. */
    private static final ThreadPoolExecutor LONG_RUNS = longRunExecutor();

    private TokenizerGuard() {
    }

    /**
     * Tokenizes on a large-stack thread chosen by the text's longest run; refuses text whose longest
     * run is over {@link #MAX_RUN_CHARS} with an {@link IllegalArgumentException}.
     */
    public static int[] tokenize(String text, Function<String, int[]> tokenizer) {
        Future<int[]> tokens = submit(requireShortRuns(text), () -> tokenizer.apply(text));
        try {
            return tokens.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            tokens.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while tokenizing", e);
        }
    }

    /** Runs the tokenization on a large-stack thread chosen by the text's longest run. */
    static <T> Future<T> submit(int longestRun, Callable<T> tokenization) {
        return (longestRun > POOLED_RUN_CHARS ? LONG_RUNS : POOLED).submit(tokenization);
    }

    /**
     * The longest run of whitespace or of non-whitespace in the text; refuses text whose longest
     * run is over the bound.
     */
    static int requireShortRuns(String text) {
        int run = 0;
        int longest = 0;
        boolean previousIsSpace = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            run = i > 0 && space == previousIsSpace ? run + 1 : 1;
            previousIsSpace = space;
            longest = Math.max(longest, run);
            if (run > MAX_RUN_CHARS) {
                throw new IllegalArgumentException("The text contains a run of more than " + MAX_RUN_CHARS
                        + " characters without a break between words and spaces, which the tokenizer cannot take.");
            }
        }
        return longest;
    }

    private static ThreadPoolExecutor longRunExecutor() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 1, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                threads("tokenizer-long-run"));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private static ThreadFactory threads(String name) {
        return task -> {
            Thread thread = new Thread(null, task, name, STACK_BYTES);
            thread.setDaemon(true);
            return thread;
        };
    }
}
