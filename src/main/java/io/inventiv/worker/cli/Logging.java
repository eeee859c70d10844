package io.inventiv.worker.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** One-line log records on stderr at the level LOG_LEVEL names, set once at start-up. */
public final class Logging {
    private Logging() {
    }

    /** Must run before anything touches java.util.logging; see {@link DrainSafeLogManager}. */
    public static void installLogManager() {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", DrainSafeLogManager.class.getName());
        }
    }

    public static void configure(String logLevel) {
        Level level = switch (logLevel) {
            case "error" -> Level.SEVERE;
            case "warn" -> Level.WARNING;
            case "debug" -> Level.FINE;
            default -> Level.INFO;
        };
        if (LogManager.getLogManager() instanceof DrainSafeLogManager drainSafe) {
            drainSafe.resetForStartup();
        } else {
            LogManager.getLogManager().reset();
        }
        Logger root = Logger.getLogger("");
        Handler console = new ConsoleHandler();
        console.setFormatter(new OneLineFormatter());
        console.setLevel(level);
        root.addHandler(console);
        root.setLevel(level);
        // Helidon is chatty at INFO about its own start-up; keep it to warnings unless debugging.
        Logger.getLogger("io.helidon").setLevel(level == Level.FINE ? Level.FINE : Level.WARNING);
    }
}
