package io.inventiv.worker.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * What a request must pass before any handler runs: the API key on the model routes (as vLLM:
 * /v1/*, /tokenize, /detokenize; health, version and metrics stay open) and on the sleep
 * endpoints, then readiness.
 */
public final class GuardFilter implements Filter {
    private final ServerState state;
    private final byte[] expectedAuthorization;

    /** {@code apiKey} null or empty means no key is required. */
    public GuardFilter(ServerState state, String apiKey) {
        this.state = state;
        this.expectedAuthorization = apiKey == null || apiKey.isEmpty() ? null
                : ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        boolean modelRoute = path.startsWith("/v1/") || path.equals("/tokenize") || path.equals("/detokenize");
        // The dev-mode endpoints free and load the model: keyed too, but open in every phase.
        boolean sleepRoute = path.equals("/sleep") || path.equals("/wake_up") || path.equals("/is_sleeping");
        if ((modelRoute || sleepRoute) && expectedAuthorization != null && !authorized(req)) {
            ApiErrors.send(res, new ApiException(Status.UNAUTHORIZED_401,
                    "Invalid or missing API key: send 'Authorization: Bearer <key>'.", null, null));
            return;
        }
        boolean gated = modelRoute || path.equals("/health") || path.equals("/ping");
        // As in vLLM, a sleeping server still lists its models: they need no weights.
        boolean listsWhileAsleep = path.equals("/v1/models") && state.phase() == ServerState.Phase.SLEEPING;
        if (gated && state.phase() != ServerState.Phase.READY && !listsWhileAsleep) {
            ApiErrors.send(res, state.notServing());
            return;
        }
        chain.proceed();
    }

    private boolean authorized(RoutingRequest req) {
        byte[] given = req.headers().first(HeaderNames.AUTHORIZATION).orElse("").getBytes(StandardCharsets.UTF_8);
        // Constant time, so response timing does not reveal how much of the key was right.
        return MessageDigest.isEqual(given, expectedAuthorization);
    }
}
