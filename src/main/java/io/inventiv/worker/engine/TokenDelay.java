package io.inventiv.worker.engine;

/** The token-delay fault (FAULT_TOKEN_DELAY_MS): the slot stays busy meanwhile, exactly as on slower hardware. */
final class TokenDelay {
    private TokenDelay() {
    }

    static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
