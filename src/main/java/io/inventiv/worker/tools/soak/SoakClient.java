package io.inventiv.worker.tools.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One soak request over a raw socket, so that it can also vanish mid-way like a real client:
 * streamed or whole, short or long, and one in ten (streamed) dropped at a random moment early in
 * its generation.
 */
final class SoakClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FINISH_REASON = Pattern.compile("\"finish_reason\":\"(\\w+)\"");
    private static final Pattern COMPLETION_TOKENS = Pattern.compile("\"completion_tokens\":(\\d+)");

    /** What the client saw: its own tally, to compare with the server's counters. */
    record Outcome(int status, boolean dropped, String finishReason, int promptTokens, int completionTokens,
            String error) {
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    SoakClient(URI base) {
        this.base = base;
    }

    Outcome send(SoakPrompt prompt, SplittableRandom random) {
        boolean stream = random.nextBoolean();
        try {
            if (random.nextInt(10) == 0) {
                // The server must still be at work when the client vanishes, so that every drop
                // shows up as exactly one abort: the tiny model writes about 3 tokens a millisecond
                // alone, so a drop within 0.1 ms per requested token comes before a third of the
                // fastest generation. Drops are streamed: a whole answer notices a vanished client
                // only at its next keep-alive space, up to half a second later, which no drop time
                // can stay clear of (AdmissionIT covers that case).
                int maxTokens = 1000 - prompt.tokens();
                long dropAfterMillis = random.nextInt(Math.max(1, maxTokens / 10));
                return sendAndDrop(body(prompt, maxTokens, true, true), prompt, dropAfterMillis);
            }
            int maxTokens = random.nextInt(4) == 0 ? 200 + random.nextInt(200) : 8 + random.nextInt(40);
            String body = body(prompt, maxTokens, random.nextBoolean(), stream);
            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(base.resolve("/v1/completions"))
                    .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() != 200) {
                    return new Outcome(response.statusCode(), false, null, 0, 0, "status " + response.statusCode());
                }
                return stream ? readStream(lines.iterator(), prompt) : readWhole(String.join("\n", lines.toList()), prompt);
            }
        } catch (IOException | RuntimeException e) {
            return new Outcome(-1, false, null, 0, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, false, null, 0, 0, "interrupted");
        }
    }

    private static String body(SoakPrompt prompt, int maxTokens, boolean ignoreEos, boolean stream) {
        return "{\"prompt\":" + JSON.valueToTree(prompt.text()) + ",\"max_tokens\":" + maxTokens
                + ",\"ignore_eos\":" + ignoreEos + ",\"stream\":" + stream + "}";
    }

    /** Sends over a raw socket, reads the status (so the request was admitted), waits, and vanishes. */
    private Outcome sendAndDrop(String body, SoakPrompt prompt, long dropAfterMillis)
            throws IOException, InterruptedException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(120_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            if (status != 200) {
                return new Outcome(status, false, null, 0, 0, "status " + status);
            }
            Thread.sleep(dropAfterMillis);
            // The answer may be complete already: a small model alone on the machine can finish
            // first. The server then counts it as finished, and so must we.
            Outcome finished = finishedBeforeDrop(available(in), prompt);
            return finished != null ? finished : new Outcome(200, true, null, prompt.tokens(), 0, null);
        }
    }

    /** The response's text that has arrived so far, read without waiting for more. */
    private static String available(BufferedReader in) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        while (in.ready()) {
            int read = in.read(buffer);
            if (read < 0) {
                break;
            }
            text.append(buffer, 0, read);
        }
        return text.toString();
    }

    /**
     * The outcome of a response that already carries its finish reason (a whole body, or a
     * stream's finish chunk), else null. Content chunks carry {@code "finish_reason":null}.
     */
    static Outcome finishedBeforeDrop(String received, SoakPrompt prompt) {
        Matcher reason = FINISH_REASON.matcher(received);
        if (!reason.find()) {
            return null;
        }
        Matcher completion = COMPLETION_TOKENS.matcher(received);
        int completionTokens = completion.find() ? Integer.parseInt(completion.group(1)) : 0;
        return new Outcome(200, false, reason.group(1), prompt.tokens(), completionTokens, null);
    }

    private static Outcome readWhole(String text, SoakPrompt prompt) throws IOException {
        JsonNode json = JSON.readTree(text.strip()); // leading spaces are the server's keep-alive
        return outcome(json.get("usage"), json.get("choices").get(0).get("finish_reason").asText(), prompt);
    }

    private static Outcome readStream(Iterator<String> lines, SoakPrompt prompt) throws IOException {
        String finishReason = null;
        JsonNode usage = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.equals("data: [DONE]")) {
                return outcome(usage, finishReason, prompt);
            }
            if (line.startsWith("data: {")) {
                JsonNode chunk = JSON.readTree(line.substring(6));
                if (chunk.hasNonNull("usage")) {
                    usage = chunk.get("usage");
                } else if (chunk.get("choices").get(0).hasNonNull("finish_reason")) {
                    finishReason = chunk.get("choices").get(0).get("finish_reason").asText();
                }
            }
        }
        return new Outcome(-1, false, null, 0, 0, "stream ended without [DONE]");
    }

    private static Outcome outcome(JsonNode usage, String finishReason, SoakPrompt prompt) {
        if (usage == null) {
            return new Outcome(-1, false, null, 0, 0, "no usage");
        }
        int promptTokens = usage.get("prompt_tokens").asInt();
        String error = promptTokens == prompt.tokens() ? null
                : "prompt_tokens " + promptTokens + " but /tokenize said " + prompt.tokens();
        return new Outcome(200, false, finishReason, promptTokens, usage.get("completion_tokens").asInt(), error);
    }

    /** A prompt with its token count, measured once with the server's /tokenize. */
    record SoakPrompt(String text, int tokens) {
    }
}
