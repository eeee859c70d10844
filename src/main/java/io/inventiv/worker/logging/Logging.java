package io.inventiv.worker.logging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** One-line log records on stderr at the level LOG_LEVEL names, set once at start-up. */
public final class Logging {
    /** The loggers whose level we set, held so that the level stays (see {@link #setLevel}). */
    private static final Map<String, Logger> CONFIGURED = new ConcurrentHashMap<>();

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
        setLevel("io.helidon", level == Level.FINE ? Level.FINE : Level.WARNING);
    }

    /**
     * Sets a logger's level and keeps the logger. The LogManager holds loggers weakly: a level set
     * on one that nothing references is lost at the next collection, and its children, created
     * later, then inherit the root's level. That happened to "io.helidon" whenever a collection came
     * before Helidon's classes had created their loggers (its INFO lines appeared in some starts).
     */
    static void setLevel(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        CONFIGURED.put(name, logger);
    }
}
