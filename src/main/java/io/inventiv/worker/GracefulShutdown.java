package io.inventiv.worker;

import io.helidon.webserver.WebServer;
import io.inventiv.worker.api.AccessLogFilter;
import io.inventiv.worker.api.ServerState;
import io.inventiv.worker.engine.Engine;

/**
 * What SIGTERM does: stop admitting (503), let accepted requests finish within the drain
 * timeout, let their last bytes reach the clients, stop the listener, and exit with 0. The exit
 * is a halt because the binding's native thread would otherwise keep the JVM alive.
 */
final class GracefulShutdown {
    /** Time for responses whose generation has ended to be written out. */
    private static final long FLUSH_MILLIS = 2_000;

    private final ServerState state;
    private final AccessLogFilter accessLog;
    private final WebServer server;
    private final long drainMillis;
    private volatile Engine engine;

    GracefulShutdown(ServerState state, AccessLogFilter accessLog, WebServer server, int drainTimeoutSeconds) {
        this.state = state;
        this.accessLog = accessLog;
        this.server = server;
        this.drainMillis = drainTimeoutSeconds * 1000L;
    }

    void engineLoaded(Engine loaded) {
        engine = loaded;
    }

    void run() {
        state.markDraining();
        System.out.println("SIGTERM: draining (up to " + drainMillis / 1000 + " s)");
        boolean drained = true;
        try {
            Engine current = engine;
            if (current != null) {
                drained = current.drain(drainMillis);
            }
            long flushDeadline = System.currentTimeMillis() + FLUSH_MILLIS;
            while (accessLog.inFlight() > 0 && System.currentTimeMillis() < flushDeadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println(drained ? "drained; exiting" : "drain timed out; exiting with requests unfinished");
        server.stop();
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
