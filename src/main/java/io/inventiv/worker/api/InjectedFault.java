package io.inventiv.worker.api;

import io.helidon.http.Status;
import io.inventiv.worker.config.ErrorKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One fault forced on one request by its {@code X-Fault} header, e.g. {@code status=429},
 * {@code abort-after=5; mode=drop} or {@code hang=10}, each also carrying {@code key=<ADMIN_API_KEY>}.
 *
 * @param type       the fault's name, for metrics and the access log
 * @param error      an error answered instead of the request, or null
 * @param abortAfter after how many content pieces the response breaks (0 = never)
 * @param mode       how it breaks: {@code error} (an error frame, then [DONE]), {@code drop} (the
 *                   connection closes without [DONE]) or {@code stall} (no bytes for {@code seconds})
 * @param seconds    how long a stall or a hang lasts
 * @param hang       wait {@code seconds} before the first byte, then answer normally
 */
public record InjectedFault(String type, ErrorKind error, int abortAfter, String mode, int seconds, boolean hang) {
    public static final String HEADER = "X-Fault";
    /** The longest stall or hang a header may ask for. */
    public static final int MAX_SECONDS = 600;

    /** Parses the header's {@code name=value} pairs (separated by ';' or ','); a bad one is a 400. */
    static InjectedFault parse(String header) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : header.split("[;,]")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw invalid("'" + part.strip() + "' is not name=value");
            }
            fields.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
        }
        fields.remove("key");
        if (fields.containsKey("status")) {
            try {
                return error(ErrorKind.parse(fields.get("status")));
            } catch (IllegalArgumentException e) {
                throw invalid("status: " + e.getMessage());
            }
        }
        if (fields.containsKey("hang")) {
            return new InjectedFault("hang", null, 0, null, integer(fields, "hang", 1, MAX_SECONDS), true);
        }
        if (fields.containsKey("abort-after")) {
            int after = integer(fields, "abort-after", 1, Integer.MAX_VALUE);
            String mode = fields.getOrDefault("mode", "error");
            if (!mode.equals("error") && !mode.equals("drop") && !mode.equals("stall")) {
                throw invalid("mode must be error, drop or stall, got '" + mode + "'");
            }
            int seconds = mode.equals("stall") ? integer(fields, "seconds", 1, MAX_SECONDS) : 0;
            return new InjectedFault("abort_" + mode, null, after, mode, seconds, false);
        }
        throw invalid("name one of status, hang or abort-after");
    }

    /** An error answered instead of the request. */
    static InjectedFault error(ErrorKind kind) {
        return new InjectedFault(kind.type(), kind, 0, null, 0, false);
    }

    /** The error this fault answers with, in vLLM's envelope, worded as vLLM words that error. */
    ApiException answer() {
        String message = switch (error.name()) {
            case "context_length" -> "This model's maximum context length was exceeded: please reduce the length of "
                    + "the messages or completion (injected fault).";
            case "invalid_request" -> "Invalid request: a field has a value the server does not accept (injected fault).";
            case "model_not_found" -> "The model does not exist (injected fault).";
            default -> switch (error.status()) {
                case 429 -> "Rate limit reached (injected fault).";
                case 401 -> "Incorrect API key provided (injected fault).";
                case 404 -> "The model does not exist (injected fault).";
                case 503 -> "The server is overloaded or not ready yet (injected fault).";
                default -> "Injected fault: status " + error.status() + ".";
            };
        };
        String param = switch (error.name()) {
            case "context_length" -> "messages";
            case "model_not_found" -> "model";
            default -> null;
        };
        Status status = Status.create(error.status());
        return new ApiException(status, message, param, error.status() == 429 || error.status() == 503 ? 1 : null);
    }

    private static int integer(Map<String, String> fields, String name, int min, int max) {
        try {
            int value = Integer.parseInt(fields.getOrDefault(name, ""));
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(name + " must be an integer from " + min + " to " + max + ", got '" + fields.get(name) + "'");
    }

    private static ApiException invalid(String why) {
        return ApiException.badRequest(HEADER + ": " + why + ".", HEADER);
    }
}
