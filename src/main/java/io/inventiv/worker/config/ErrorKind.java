package io.inventiv.worker.config;

import java.util.Locale;
import java.util.Map;

/**
 * An error a fault answers with: a bare status from 400 to 599, or one of the kinds vLLM
 * simulators name (llm-d-inference-sim's failure types), each with vLLM's status and wording.
 *
 * @param name   as written: {@code "429"} or {@code "rate_limit"}
 * @param status the HTTP status
 */
public record ErrorKind(String name, int status) {
    /** The named kinds and their statuses. */
    public static final Map<String, Integer> NAMED = Map.of("rate_limit", 429, "invalid_api_key", 401,
            "context_length", 400, "server_error", 503, "invalid_request", 400, "model_not_found", 404);

    /** Reads {@code "503"} or {@code "server_error"}; anything else is an IllegalArgumentException. */
    public static ErrorKind parse(String text) {
        String name = text.strip().toLowerCase(Locale.ROOT);
        if (NAMED.containsKey(name)) {
            return new ErrorKind(name, NAMED.get(name));
        }
        try {
            int status = Integer.parseInt(name);
            if (status >= 400 && status <= 599) {
                return new ErrorKind(name, status);
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("'" + text + "' is neither a status from 400 to 599 nor one of "
                + NAMED.keySet().stream().sorted().toList() + ".");
    }

    /** The fault's type in metrics and the access log: {@code status_429} or {@code rate_limit}. */
    public String type() {
        return NAMED.containsKey(name) ? name : "status_" + status;
    }

    /** How the admin API writes it back: a number for a status, else the name. */
    public Object json() {
        return NAMED.containsKey(name) ? name : (Object) status;
    }
}
