package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A JSON answer sent once it is complete. While it is being generated, past
 * {@link #PROBE_AFTER_MILLIS}, it commits to 200 and writes JSON-neutral whitespace on a clock,
 * because writing is the only way to notice a client that left.
 */
final class WholeResponse {
    static final long PROBE_AFTER_MILLIS = 1000;

    private final ServerResponse res;
    private final ClientDeparture departure;
    private long nextProbe = System.nanoTime() + PROBE_AFTER_MILLIS * 1_000_000;
    private OutputStream committed;

    WholeResponse(ServerResponse res, ClientDeparture departure) {
        this.res = res;
        this.departure = departure;
    }

    /** Probes the client when it is time; on a clock, not on silence: tokens may keep coming for a client long gone. */
    void probeIfDue() throws ClientGoneException {
        if (System.nanoTime() < nextProbe) {
            return;
        }
        departure.write(() -> {
            if (committed == null) {
                res.status(Status.OK_200);
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                committed = res.outputStream();
            }
            committed.write(' ');
            committed.flush();
        });
        nextProbe = System.nanoTime() + GenerationResponder.PROBE_INTERVAL_MILLIS * 1_000_000;
    }

    void send(Object body) throws ClientGoneException {
        byte[] json = Json.write(body);
        departure.write(() -> write(json));
    }

    /** A failure: its error status when nothing was committed yet, else its error body after the whitespace. */
    void fail(String message) throws ClientGoneException {
        ApiException error = ApiException.internal(message);
        if (committed == null) {
            ApiErrors.send(res, error);
        } else {
            departure.write(() -> write(ApiErrors.body(error)));
        }
    }

    private void write(byte[] body) throws IOException {
        if (committed == null) {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(body);
        } else {
            committed.write(body);
            committed.close();
        }
    }
}
