package io.inventiv.worker.logging;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager removes every log handler in a shutdown hook of its own, which would
 * silence the access-log lines of the requests that SIGTERM lets finish. This one keeps its
 * handlers until the process halts. Installed through {@code java.util.logging.manager}.
 */
public final class DrainSafeLogManager extends LogManager {
    @Override
    public void reset() {
        // Ignored on purpose: see the class comment. Start-up configuration uses resetForStartup().
    }

    /** The real reset, for configuring logging once at start-up. */
    void resetForStartup() {
        super.reset();
    }
}
