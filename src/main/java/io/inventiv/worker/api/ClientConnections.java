package io.inventiv.worker.api;

/**
 * Closes a client's connection by the socket id its requests report. A stream's last resort
 * against a client that reads nothing (see {@link ClientDeparture}); {@link SlowClientGuard}
 * is the real one, since it already knows every connection.
 */
@FunctionalInterface
public interface ClientConnections {
    /** For servers without the guard (some tests): nothing is closed, the write waits. */
    ClientConnections NONE = socketId -> {
    };

    /** Closes the connection's socket; a write blocked on it then fails. Unknown ids are ignored. */
    void close(String socketId);
}
