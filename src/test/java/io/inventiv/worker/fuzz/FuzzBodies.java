package io.inventiv.worker.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded generator of hostile requests: every endpoint, odd methods and media types, and bodies
 * that are truncated, mistyped, huge, deeply nested or full of awkward Unicode. Plausible bodies
 * are the base, so that mutations land inside requests that get past the first checks. The same
 * seed always yields the same sequence, so any failure can be replayed.
 */
final class FuzzBodies {
    /** One request to send. */
    record FuzzRequest(String method, String path, String contentType, byte[] body) {
        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return method + " " + path + " [" + contentType + "] "
                    + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    private static final List<String> PATHS = List.of("/v1/chat/completions", "/v1/completions", "/tokenize",
            "/detokenize", "/v1/models", "/v1/embeddings", "/health", "/v1/", "/metrics", "/v1/chat");
    /** JSON string bodies (already escaped): NUL, lone surrogates, right-to-left, special tokens. */
    private static final List<String> ODD_TEXT = List.of("", "hi", "\\u0000", "\\ud800", "\\udfff\\ud800x",
            "\\u202e\\u0645\\u0631\\u062d\\u0628\\u0627", "<|im_start|>system", "<|im_end|>", "\\n\\n\\n",
            "😀🙃", "\\\\", "\\\"", "null", "a".repeat(5000), "ĠĊ", "\\u00e9t\\u00e9", "\\uFEFF", "\\u0007\\u001b[31m");
    private static final List<String> NUMBERS = List.of("0", "-1", "1", "2", "7", "1.5", "-0.0", "1e308",
            "-1e308", "1e999", "NaN", "Infinity", "99999999999999999999", "-2147483649", "2147483648", "3",
            "0.0000001", "-9223372036854775808");
    private static final List<String> FIELDS = List.of("max_tokens", "max_completion_tokens", "temperature",
            "top_p", "top_k", "min_p", "seed", "presence_penalty", "frequency_penalty", "repetition_penalty", "n",
            "stream", "ignore_eos", "stop", "stream_options", "model", "user", "logprobs", "echo", "best_of",
            "tokens", "add_special_tokens", "add_generation_prompt", "prompt", "messages");
    private static final List<String> ROLES = List.of("\"user\"", "\"system\"", "\"assistant\"", "\"tool\"",
            "\"wizard\"", "\"\"", "null", "7", "[\"user\"]");
    private static final List<String> CONTENTS = List.of("null", "42", "{}", "[]",
            "[{\"type\":\"text\",\"text\":\"hi\"}]",
            "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]",
            "[{\"type\":\"text\"}]", "[{\"text\":\"no type\"}]", "[\"bare string\"]");
    private static final List<String> ODD_TYPES = List.of("text/plain", "application/xml", "multipart/form-data",
            "application/json; charset=latin1", "", "application/x-www-form-urlencoded");
    private static final List<String> ODD_METHODS = List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS");

    private final SplittableRandom random;

    FuzzBodies(long seed) {
        this.random = new SplittableRandom(seed);
    }

    FuzzRequest next() {
        int kind = random.nextInt(14);
        if (kind < 6) {
            return request("/v1/chat/completions", "{\"messages\":" + messages() + extraFields() + "}");
        }
        if (kind < 10) {
            return request("/v1/completions", "{\"prompt\":" + prompt() + extraFields() + "}");
        }
        if (kind < 11) {
            return request("/tokenize", random.nextBoolean() ? "{\"messages\":" + messages() + "}"
                    : "{\"prompt\":" + jsonString() + "}");
        }
        if (kind < 12) {
            return request("/detokenize", "{\"tokens\":" + tokenIds() + "}");
        }
        return new FuzzRequest(method(), pick(PATHS), contentType(), rawBody().getBytes(StandardCharsets.UTF_8));
    }

    private FuzzRequest request(String path, String body) {
        // One body in five is cut short at a random place.
        String sent = random.nextInt(5) == 0 ? body.substring(0, random.nextInt(Math.min(body.length(), 200) + 1))
                : body;
        return new FuzzRequest(method(), path, contentType(), sent.getBytes(StandardCharsets.UTF_8));
    }

    private String messages() {
        return switch (random.nextInt(10)) {
            case 0 -> pick(List.of("[]", "null", "\"hi\"", "{}", "[null]", "[[]]"));
            case 1 -> "[" + String.join(",", Collections.nCopies(2049 + random.nextInt(500),
                    "{\"role\":\"user\",\"content\":\"x\"}")) + "]";
            default -> {
                List<String> messages = new ArrayList<>();
                for (int i = random.nextInt(6); i >= 0; i--) {
                    String content = random.nextInt(3) == 0 ? pick(CONTENTS) : jsonString();
                    messages.add(random.nextInt(8) == 0 ? "{\"role\":" + pick(ROLES) + "}"
                            : "{\"role\":" + pick(ROLES) + ",\"content\":" + content + "}");
                }
                yield "[" + String.join(",", messages) + "]";
            }
        };
    }

    private String prompt() {
        return switch (random.nextInt(4)) {
            case 0 -> tokenIds();
            case 1 -> pick(List.of("[]", "[[]]", "[\"a\",\"b\"]", "[[1,2],[3]]", "null", "42", "{}", "[1.5]"));
            default -> jsonString();
        };
    }

    private String extraFields() {
        // A small max_tokens keeps valid generations short, unless a mutation replaces it.
        StringBuilder fields = new StringBuilder(",\"max_tokens\":2");
        for (int i = random.nextInt(5); i > 0; i--) {
            fields.append(",\"").append(pick(FIELDS)).append("\":").append(value());
        }
        return fields.toString();
    }

    private String value() {
        return switch (random.nextInt(8)) {
            case 0, 1 -> pick(NUMBERS);
            case 2 -> jsonString();
            case 3 -> pick(List.of("true", "false", "null", "[]", "{}", "{\"include_usage\":true}", "[\"\\n\"]",
                    "[\"a\",\"b\",\"c\"]", "{\"include_usage\":\"yes\"}"));
            case 4 -> "[" + String.join(",", Collections.nCopies(60 + random.nextInt(400), "\"s\"")) + "]";
            case 5 -> "\"" + "x".repeat(1000 * (1 + random.nextInt(3))) + "\"";
            case 6 -> "[".repeat(1 + random.nextInt(100)) + "]".repeat(random.nextInt(100));
            default -> Integer.toString(random.nextInt(-5, 40));
        };
    }

    private String jsonString() {
        if (random.nextBoolean()) {
            return "\"" + pick(ODD_TEXT) + "\"";
        }
        StringBuilder text = new StringBuilder("\"");
        for (int i = random.nextInt(40); i > 0; i--) {
            char c = (char) random.nextInt(' ', '~' + 1);
            text.append(c == '"' || c == '\\' ? ' ' : c);
        }
        return text.append('"').toString();
    }

    private String tokenIds() {
        List<String> ids = new ArrayList<>();
        for (int i = random.nextInt(12); i > 0; i--) {
            ids.add(random.nextInt(4) == 0 ? pick(List.of("-1", "-2147483648", "2147483647", "511", "512", "1048576"))
                    : Integer.toString(random.nextInt(600)));
        }
        return "[" + String.join(",", ids) + "]";
    }

    private String rawBody() {
        return switch (random.nextInt(5)) {
            case 0 -> "[".repeat(1 + random.nextInt(5000));
            case 1 -> "{\"a\":".repeat(1 + random.nextInt(3000)) + "1";
            case 2 -> pick(List.of("", "{", "}", "null", "true", "[]", "{\"messages\":[{}]}", "\u0000\u0001",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}garbage"));
            case 3 -> {
                StringBuilder bytes = new StringBuilder();
                for (int i = random.nextInt(200); i > 0; i--) {
                    bytes.append((char) random.nextInt(1, 0xD7FF));
                }
                yield bytes.toString();
            }
            default -> "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1}";
        };
    }

    private String method() {
        return random.nextInt(15) == 0 ? pick(ODD_METHODS) : "POST";
    }

    private String contentType() {
        return random.nextInt(13) == 0 ? pick(ODD_TYPES) : "application/json";
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
