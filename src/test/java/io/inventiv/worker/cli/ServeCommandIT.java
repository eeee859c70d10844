package io.inventiv.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inventiv.worker.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process as a user starts it: exit codes and messages for bad settings and bad model files. */
class ServeCommandIT {
    @TempDir
    Path dir;

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Dde.kherud.llama.tmpdir=" + Path.of("target", "jllama-cli").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("N_") || key.equals("MODEL_PATH"));
        builder.environment().put("ENGINE", io.inventiv.worker.TestModels.ENGINE);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process exits by itself");
        return new Outcome(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @Test
    void helpDocumentsEveryOptionWithItsEnvVar() throws Exception {
        Outcome help = run(Map.of(), "--help");
        assertEquals(0, help.exitCode());
        for (String env : List.of("MODEL_PATH", "SERVED_MODEL_NAME", "MODEL_ID", "N_CTX", "N_THREADS", "N_PARALLEL",
                "N_GPU_LAYERS", "HOST", "PORT", "DEFAULT_MAX_TOKENS", "MAX_QUEUE", "STREAM_USAGE",
                "STRICT_MODEL_NAME", "EMBEDDINGS", "DETERMINISTIC", "ADMIN_API_KEY", "FAULT_ERROR_RATE",
                "FAULT_ERROR_STATUSES", "FAULT_EVERY_N", "FAULT_MODEL", "STARTUP_DELAY_S", "LATENCY_TTFT_MS",
                "LATENCY_ITL_STD_MS", "LATENCY_PREFILL_PER_TOKEN_MS", "LATENCY_LOAD_FACTOR", "VLLM_SERVER_DEV_MODE")) {
            assertTrue(help.output().contains(env), env + " in:\n" + help.output());
        }
        assertTrue(help.output().contains("default 2048"), help.output());
    }

    @Test
    void invalidValuesExitWith2AndNameTheSetting() throws Exception {
        Path model = Path.of("unused.gguf");
        Outcome notANumber = run(Map.of("N_CTX", "lots"), "--model", model.toString());
        assertEquals(2, notANumber.exitCode(), notANumber.output());
        assertTrue(notANumber.output().contains("lots"), notANumber.output());

        Outcome zeroSlots = run(Map.of("N_PARALLEL", "0"), "--model", model.toString());
        assertEquals(2, zeroSlots.exitCode(), zeroSlots.output());
        assertTrue(zeroSlots.output().contains("N_PARALLEL must be at least 1"), zeroSlots.output());

        for (String gpuLayers : List.of("all", "-1")) {
            Outcome gpu = run(Map.of("N_GPU_LAYERS", gpuLayers), "--model", model.toString());
            assertEquals(2, gpu.exitCode(), gpu.output());
            assertTrue(gpu.output().contains("N_GPU_LAYERS must be 'auto' or a number of layers"), gpu.output());
        }

        Outcome usage = run(Map.of("STREAM_USAGE", "sometimes"), "--model", model.toString());
        assertEquals(2, usage.exitCode(), usage.output());
        assertTrue(usage.output().contains("STREAM_USAGE"), usage.output());

        for (Map<String, String> bad : List.of(Map.of("DETERMINISTIC", "maybe"), Map.of("EMBEDDINGS", "yes"),
                Map.of("FAULT_ERROR_RATE", "2"),
                Map.of("FAULT_ERROR_STATUSES", "200"), Map.of("FAULT_ERROR_STATUSES", "429,teapot"),
                Map.of("STARTUP_DELAY_S", "-1"), Map.of("LATENCY_ITL_MS", "-5"), Map.of("VLLM_SERVER_DEV_MODE", "on"))) {
            Outcome refused = run(bad, "--model", model.toString());
            assertEquals(2, refused.exitCode(), bad + ": " + refused.output());
            assertTrue(refused.output().contains(bad.keySet().iterator().next()), refused.output());
        }

        Outcome noModel = run(Map.of());
        assertEquals(2, noModel.exitCode(), noModel.output());
        assertTrue(noModel.output().contains("MODEL_PATH"), noModel.output());
    }

    @Test
    void everySwitchTakesOneAndZero() throws Exception {
        Outcome outcome = run(Map.of("EMBEDDINGS", "1", "DETERMINISTIC", "0", "VLLM_SERVER_DEV_MODE", "1",
                "MODEL_PATH", dir.resolve("absent.gguf").toString()));
        assertEquals(1, outcome.exitCode(), "past the settings, to the model file: " + outcome.output());
    }

    @Test
    void theComposeFilesDefaultsAreValidSettings() throws Exception {
        Map<String, Object> compose = new org.yaml.snakeyaml.Yaml().load(
                Files.readString(Path.of("docker-compose.mock-runtime-real.yml")));
        @SuppressWarnings("unchecked")
        List<String> entries = (List<String>) ((Map<String, Map<String, Object>>) compose.get("services"))
                .get("mock-vllm").get("environment");
        Map<String, String> env = new java.util.HashMap<>();
        java.util.regex.Pattern fallback = java.util.regex.Pattern.compile("\\$\\{[A-Z_]+:-([^}]*)}");
        for (String entry : entries) {
            String[] pair = entry.split("=", 2);
            env.put(pair[0], fallback.matcher(pair[1]).replaceAll(match -> match.group(1)));
        }
        env.put("MODEL_PATH", dir.resolve("absent.gguf").toString());
        Outcome outcome = run(env);
        assertEquals(1, outcome.exitCode(), "past the settings, to the model file: " + outcome.output());
        assertTrue(outcome.output().contains("does not exist"), outcome.output());
    }

    @Test
    void unusableModelFilesExitWith1AndSayWhy() throws Exception {
        Path missing = dir.resolve("missing.gguf");
        Path notGguf = Files.writeString(dir.resolve("notes.gguf"), "just some text, not a model");
        Path truncatedHeader = Files.write(dir.resolve("header.gguf"), new byte[] {'G', 'G', 'U', 'F', 3, 0});
        Path versionOne = Files.write(dir.resolve("v1.gguf"), new byte[] {'G', 'G', 'U', 'F', 1, 0, 0, 0});
        assertFailsWith(missing, "does not exist");
        assertFailsWith(dir, "is a directory");
        assertFailsWith(notGguf, "not a GGUF file");
        assertFailsWith(truncatedHeader, "truncated");
        assertFailsWith(versionOne, "GGUF v1 is no longer supported");
    }

    @Test
    void aFileLlamaCppRejectsReportsLlamaCppsOwnReason() throws Exception {
        Path stories = Path.of("..", "shared", "models", "stories260K.gguf");
        byte[] source = Files.isRegularFile(stories) ? Files.readAllBytes(stories) : null;
        org.junit.jupiter.api.Assumptions.assumeTrue(source != null, "needs ../shared/models/stories260K.gguf");
        // The header is intact, so only llama.cpp can see that the tensor data is cut off.
        Path truncated = Files.write(dir.resolve("truncated.gguf"), java.util.Arrays.copyOf(source, source.length / 2));
        Outcome outcome = assertFailsWith(truncated, "could not load model");
        // The native engine hears llama.cpp's reason itself; the binding's is asked for by a probe.
        String reason = io.inventiv.worker.TestModels.ENGINE.equals("native") ? "error: could not load model" : "llama.cpp says:";
        int said = outcome.output().indexOf(reason);
        assertTrue(said >= 0, outcome.output());
        assertTrue(outcome.output().indexOf("not within the file bounds", said) > said, outcome.output());
    }

    @Test
    void aContextLongerThanTheModelWasTrainedForExitsWith1() throws Exception {
        Path model = io.inventiv.worker.TestModels.tinyQwen(); // trained for 4096 tokens
        Outcome outcome = run(Map.of("N_CTX", "8192", "N_PARALLEL", "1"), "--model", model.toString());
        assertEquals(1, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("N_CTX (max_model_len) 8192 is greater than the 4096 tokens the model "
                + "was trained for (qwen2.context_length in the GGUF); set N_CTX to 4096 or less"), outcome.output());
        assertTrue(!outcome.output().contains("llama.cpp says"), "refused before llama.cpp:\n" + outcome.output());
    }

    @Test
    void aPortInUseExitsWith1AndNamesTheAddress() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Outcome outcome = run(Map.of("HOST", "127.0.0.1", "PORT", Integer.toString(port)),
                    "--model", dir.resolve("never-loaded.gguf").toString());
            assertEquals(1, outcome.exitCode(), outcome.output());
            assertTrue(outcome.output().contains("error: could not listen on 127.0.0.1:" + port + ": "),
                    outcome.output());
            assertTrue(outcome.output().contains("Address already in use"), outcome.output());
            assertTrue(!outcome.output().contains("loading"), "stops before loading:\n" + outcome.output());
        }
    }

    @Test
    void anUnknownHostExitsWith1AndSaysSo() throws Exception {
        Outcome outcome = run(Map.of("HOST", "no-such-host.invalid", "PORT", "0"),
                "--model", dir.resolve("never-loaded.gguf").toString());
        assertEquals(1, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("error: could not listen on no-such-host.invalid:0: unknown host"),
                outcome.output());
    }

    private Outcome assertFailsWith(Path model, String reason) throws Exception {
        Outcome outcome = run(Map.of("N_CTX", "256"), "--model", model.toString());
        assertEquals(1, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains(reason), reason + " in:\n" + outcome.output());
        assertTrue(outcome.output().contains(model.toString()), "names the path:\n" + outcome.output());
        return outcome;
    }
}
