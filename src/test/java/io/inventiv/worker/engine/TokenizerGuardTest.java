package io.inventiv.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Which thread tokenizes what: deep native recursion must not stay resident on a pooled thread. */
class TokenizerGuardTest {
    @Test
    void longestRunIsMeasuredAndAnOverlongRunRefused() {
        assertEquals(5, TokenizerGuard.requireShortRuns("hello  world"));
        assertEquals(3, TokenizerGuard.requireShortRuns("   ab"));
        assertEquals(0, TokenizerGuard.requireShortRuns(""));
        assertEquals(TokenizerGuard.MAX_RUN_CHARS,
                TokenizerGuard.requireShortRuns("x".repeat(TokenizerGuard.MAX_RUN_CHARS)));
        assertThrows(IllegalArgumentException.class,
                () -> TokenizerGuard.requireShortRuns("x".repeat(TokenizerGuard.MAX_RUN_CHARS + 1)));
    }

    @Test
    void aLongRunIsTokenizedOnAThreadThatEndsAndAShortOneOnAThreadThatStays() throws Exception {
        Thread longRunThread = threadThatRuns(TokenizerGuard.POOLED_RUN_CHARS + 1);
        longRunThread.join(10_000);
        assertFalse(longRunThread.isAlive(), "its touched stack is given back when the thread ends");

        Thread pooledThread = threadThatRuns(TokenizerGuard.POOLED_RUN_CHARS);
        pooledThread.join(200);
        assertTrue(pooledThread.isAlive(), "short runs reuse the long-lived pool");
        assertEquals("tokenizer", pooledThread.getName());
    }

    private static Thread threadThatRuns(int longestRun) throws Exception {
        AtomicReference<Thread> ran = new AtomicReference<>();
        TokenizerGuard.submit(longestRun, () -> {
            ran.set(Thread.currentThread());
            return 0;
        }).get();
        return ran.get();
    }
}
