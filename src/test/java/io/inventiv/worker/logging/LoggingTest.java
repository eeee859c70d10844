package io.inventiv.worker.logging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LoggingTest {
    /**
     * The LogManager holds loggers weakly. Before the fix, a level set on a logger that nothing else
     * referenced was lost at the next collection, and loggers created below it afterwards logged at
     * the root's level (Helidon's INFO lines appeared in some starts, not in others).
     */
    @Test
    void aLevelSetBeforeTheLoggersBelowItExistSurvivesACollection() throws InterruptedException {
        String parent = "test.logging.quieted" + System.nanoTime(); // a name no logger has yet
        Logging.setLevel(parent, Level.WARNING);
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        Logger child = Logger.getLogger(parent + ".Component");
        assertFalse(child.isLoggable(Level.INFO), "the parent's WARNING level was lost");
        assertTrue(child.isLoggable(Level.WARNING));
    }
}
