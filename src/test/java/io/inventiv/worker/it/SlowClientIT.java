package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.api.SlowClientGuard;
import io.inventiv.worker.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The header read timeout (1 s here, 20 s in production): a slowloris client trickling header
 * bytes is disconnected, while a request that is being served may take as long as it needs.
 */
@ServerTest
class SlowClientIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 1, 4, 1024, false, 20);
    static final SlowClientGuard GUARD = new SlowClientGuard(Duration.ofSeconds(1));

    private final URI uri;
    private final RawHttp http;

    SlowClientIT(URI uri) {
        this.uri = uri;
        this.http = new RawHttp(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        GUARD.install(server);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.addFilter(GUARD);
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void aClientTricklingHeadersIsDisconnected() throws Exception {
        long start = System.nanoTime();
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(200);
            out.write("GET /v1/models HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int header = 0; header < 50; header++) {
                try {
                    out.write(("X-Slow-" + header + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (in.read() < 0) {
                        break; // closed by the server
                    }
                } catch (SocketTimeoutException stillOpen) {
                    continue; // nothing to read yet: the server is still waiting for the head
                } catch (IOException reset) {
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5, "a trickling client is cut off after about 1 s, took " + seconds + " s");
        assertEquals(200, http.method("GET", "/v1/models").statusCode(), "others are served as usual");
    }

    @Test
    void aRequestBeingServedMayOutlastTheHeaderTimeout() {
        // 100 tokens at 20 ms: two seconds of streaming, twice the header timeout.
        var response = http.post("/v1/completions", "{\"prompt\":\"slow\",\"max_tokens\":100,\"ignore_eos\":true,\"stream\":true}");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().endsWith("data: [DONE]\n\n"), response.body());
    }
}
