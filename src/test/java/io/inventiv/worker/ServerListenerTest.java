package io.inventiv.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.Test;

/** The production listener's socket settings, which the @ServerTest servers do not use. */
class ServerListenerTest {
    @Test
    void connectionsSendEachResponseAtOnceAndShutdownIsOurs() {
        WebServerConfig.Builder listener = Server.listener(TestModels.config(TestModels.tinyQwen(), 1, 1, 256, false, 0));
        assertTrue(listener.connectionOptions().orElseThrow().tcpNoDelay(), "TCP_NODELAY: no delayed-ACK stalls between small writes");
        assertFalse(listener.useNio(), "the stream socket: a response leaves in one write, not in 8 KB pieces");
        assertFalse(listener.shutdownHook(), "GracefulShutdown drains first");
    }
}
