package io.inventiv.worker.tools.cli;

import io.inventiv.worker.tools.bench.LoopbackUrl;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The server a bench command drives over HTTP: where it is, and how long a request may take. */
final class ServerTargetOptions {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8000",
            description = "Server base URL; must resolve to a loopback address (default ${DEFAULT-VALUE}).")
    private String url;

    @Option(names = "--request-timeout-s", defaultValue = "300",
            description = "A request still running after this is ended and counted as an error (default ${DEFAULT-VALUE}).")
    private int requestTimeoutSeconds;

    /** The base URL; IllegalArgumentException unless it is on this machine. */
    URI base() {
        return LoopbackUrl.require(url);
    }

    Duration requestTimeout() {
        return Duration.ofSeconds(requestTimeoutSeconds);
    }
}
