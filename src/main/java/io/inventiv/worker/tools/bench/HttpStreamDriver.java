package io.inventiv.worker.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Streams {@code POST /v1/completions} requests to an OpenAI-compatible server (ours, vLLM,
 * llama-server) and times each frame as it is read. The prompt goes as token ids when the
 * server can tokenize, so every server evaluates exactly the same tokens.
 */
public final class HttpStreamDriver implements StreamDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoopbackHttp client;
    private final String model;
    private final BenchPrompt prompt;
    private final BenchSampling sampling;
    private final Duration requestTimeout;

    public HttpStreamDriver(LoopbackHttp client, String model, BenchPrompt prompt, BenchSampling sampling,
            Duration requestTimeout) {
        this.client = client;
        this.model = model;
        this.prompt = prompt;
        this.sampling = sampling;
        this.requestTimeout = requestTimeout;
    }

    /**
     * A driver for the server at {@code base}: checks that something answers, picks the model
     * (the given one, else the first listed) and prepares the prompt. Null when nothing answers.
     */
    public static HttpStreamDriver connect(URI base, String model, int promptTokens, BenchSampling sampling,
            Duration requestTimeout, BenchProgress progress) {
        LoopbackHttp client = newClient(base);
        if (!reachable(client)) {
            return null;
        }
        String modelName = model != null ? model : discoverModel(client);
        if (modelName == null) {
            modelName = "default";
        }
        BenchPrompt prompt = preparePrompt(client, modelName, promptTokens);
        progress.note(prompt.exact() ? "prompt: " + prompt.length() + " token ids from the server's /tokenize"
                : "prompt: ~" + prompt.length() + " words of text (the server has no usable /tokenize)");
        return new HttpStreamDriver(client, modelName, prompt, sampling, requestTimeout);
    }

    /** Any HTTP answer will do: llama-server, vLLM and ours differ in what they answer here. */
    private static boolean reachable(LoopbackHttp client) {
        try (LoopbackHttp.Response response = client.get("/v1/models", Duration.ofSeconds(10))) {
            response.text();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String model() {
        return model;
    }

    /** HTTP/1.1 keep-alive, as clients of these servers use it; one connection per concurrent stream. */
    public static LoopbackHttp newClient(URI base) {
        return new LoopbackHttp(base, Duration.ofSeconds(5));
    }

    public BenchPrompt prompt() {
        return prompt;
    }

    /**
     * One streamed request. {@code requestTimeout} bounds the whole exchange, body included:
     * {@link LoopbackHttp} closes the connection at that deadline.
     */
    @Override
    public StreamResult run(int requestIndex, int maxTokens) throws InterruptedException {
        String body = body(requestIndex, maxTokens);
        long start = System.nanoTime();
        try (LoopbackHttp.Response response = client.postJson("/v1/completions", body, "text/event-stream",
                requestTimeout)) {
            if (response.status() != 200) {
                String text = new String(response.body().readNBytes(300), StandardCharsets.UTF_8);
                return StreamResult.failed(Integer.toString(response.status()), text, start, System.nanoTime());
            }
            return read(response.body(), start);
        } catch (SocketTimeoutException e) {
            return StreamResult.failed("timeout", e.getMessage(), start, System.nanoTime());
        } catch (IOException e) {
            return StreamResult.failed("io", e.toString(), start, System.nanoTime());
        }
    }

    /** Stamps each line as it arrives and parses the frames once the body has ended (see ArrivedLines). */
    private static StreamResult read(InputStream body, long start) throws IOException {
        ArrivedLines lines = new ArrivedLines();
        byte[] buffer = new byte[16 * 1024];
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
            lines.add(buffer, n, System.nanoTime());
        }
        long end = System.nanoTime();
        SseStreamRecorder recorder = new SseStreamRecorder(start);
        lines.replay(recorder::onLine);
        return recorder.finish(end);
    }

    String body(int requestIndex, int maxTokens) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        if (prompt.exact()) {
            var ids = body.putArray("prompt");
            for (int id : prompt.tokens(requestIndex)) {
                ids.add(id);
            }
        } else {
            body.put("prompt", prompt.text(requestIndex, false));
        }
        body.put("max_tokens", maxTokens);
        body.put("ignore_eos", true);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.put("temperature", sampling.temperature());
        body.put("top_k", sampling.topK());
        body.put("top_p", sampling.topP());
        body.put("min_p", sampling.minP());
        return body.toString();
    }

    /** The first model the server lists, or null when it lists none or has no /v1/models. */
    public static String discoverModel(LoopbackHttp client) {
        try (LoopbackHttp.Response response = client.get("/v1/models", Duration.ofSeconds(10))) {
            String text = response.text();
            if (response.status() == 200) {
                JsonNode id = JSON.readTree(text).path("data").path(0).path("id");
                return id.isTextual() ? id.asText() : null;
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /**
     * The prompt for this server: exact token ids through its {@code /tokenize} (vLLM and our
     * server read {@code prompt}, llama-server reads {@code content}; both are sent), else text.
     */
    public static BenchPrompt preparePrompt(LoopbackHttp client, String model, int promptTokens) {
        try {
            return BenchPrompt.ofTokens(promptTokens, text -> tokenize(client, model, text));
        } catch (TokenizeUnavailable e) {
            return BenchPrompt.approximateText(promptTokens);
        }
    }

    private static int[] tokenize(LoopbackHttp client, String model, String text) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("prompt", text);
        body.put("content", text);
        body.put("add_special_tokens", false);
        body.put("add_special", false);
        try (LoopbackHttp.Response response = client.postJson("/tokenize", body.toString(), null,
                Duration.ofSeconds(30))) {
            String answer = response.text();
            JsonNode tokens = response.status() == 200 ? JSON.readTree(answer).path("tokens") : null;
            if (tokens == null || !tokens.isArray() || tokens.isEmpty() || !tokens.get(0).isInt()) {
                throw new TokenizeUnavailable();
            }
            int[] ids = new int[tokens.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = tokens.get(i).asInt();
            }
            return ids;
        } catch (IOException e) {
            throw new TokenizeUnavailable();
        }
    }

    private static final class TokenizeUnavailable extends RuntimeException {
        TokenizeUnavailable() {
            super(null, null, false, false);
        }
    }
}
