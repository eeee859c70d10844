package io.inventiv.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.mock-runtime-real.yml is a contract with the control plane's mock provider:
 * it finds the VM's IP on `<project>-mock-vllm-1`, puts it on its own network, and runs the
 * agent in the same network namespace. No Docker engine runs here, so the file is checked as
 * YAML and, when the docker-compose binary is installed, with `docker-compose config`.
 */
class ComposeFileTest {
    private static final Path COMPOSE_FILE = Path.of("docker-compose.mock-runtime-real.yml");
    private static final Path DOCKERFILE = Path.of("Dockerfile.llamacpp");

    @TempDir
    Path folder;

    @Test
    void theServicesAreMockVllmAndWorkerAgent() {
        assertEquals(Set.of("mock-vllm", "worker-agent"), map(compose(), "services").keySet());
    }

    @Test
    void mockVllmIsOnlyOnTheExternalControlplaneNetwork() {
        Object networks = service("mock-vllm").get("networks");
        Set<?> names = networks instanceof Map<?, ?> m ? m.keySet() : Set.copyOf((List<?>) networks);
        assertEquals(Set.of("controlplane"), names);
        Map<String, Object> declared = map(compose(), "networks");
        assertEquals(Set.of("controlplane"), declared.keySet());
        Map<String, Object> controlplane = map(declared, "controlplane");
        assertEquals(true, controlplane.get("external"));
        assertTrue(String.valueOf(controlplane.get("name")).startsWith("${CONTROLPLANE_NETWORK_NAME:?"),
                "the network's name must come from CONTROLPLANE_NETWORK_NAME, and be required");
        assertNull(service("mock-vllm").get("network_mode"));
    }

    @Test
    void workerAgentSharesMockVllmsNetworkAndOnlyWaitsForItsStart() {
        Map<String, Object> agent = service("worker-agent");
        assertEquals("service:mock-vllm", agent.get("network_mode"));
        assertNull(agent.get("networks"), "network_mode excludes networks");
        assertEquals("service_started", map(map(agent, "depends_on"), "mock-vllm").get("condition"),
                "up -d must return within the provider's 30 s; the agent polls readiness itself");
        Map<String, Object> build = map(agent, "build");
        assertEquals("./inventiv-worker", build.get("context"));
        assertEquals("Dockerfile.agent", build.get("dockerfile"));
    }

    @Test
    void mockVllmHasTheServingEnvContract() {
        Map<String, String> env = environment("mock-vllm");
        assertEquals("${MOCK_VLLM_MODEL_ID:-demo-model}", env.get("SERVED_MODEL_NAME"));
        assertEquals("${MOCK_VLLM_N_CTX:-2048}", env.get("N_CTX"));
        assertEquals("${MOCK_VLLM_N_THREADS:-4}", env.get("N_THREADS"));
        assertEquals("8000", env.get("PORT"));
        assertTrue(env.get("MODEL_PATH").endsWith("/models/qwen2.5-0.5b-instruct-q4_k_m.gguf}"), env.toString());
        assertTrue(env.containsKey("N_PARALLEL"), env.toString());
    }

    @Test
    void workerAgentHasTheSimulatedRuntimesEnvExactly() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("CONTROL_PLANE_URL", "http://api:8003");
        expected.put("WORKER_AUTH_TOKEN", "${WORKER_AUTH_TOKEN:-dev-worker-token}");
        expected.put("INSTANCE_ID", "${INSTANCE_ID:?set INSTANCE_ID}");
        expected.put("MODEL_ID", "${MOCK_VLLM_MODEL_ID:-demo-model}");
        expected.put("WORKER_SIMULATE_GPU_COUNT", "${WORKER_SIMULATE_GPU_COUNT:-1}");
        expected.put("WORKER_SIMULATE_GPU_VRAM_MB", "${WORKER_SIMULATE_GPU_VRAM_MB:-24576}");
        expected.put("VLLM_BASE_URL", "http://127.0.0.1:8000");
        expected.put("WORKER_HEALTH_PORT", "8080");
        expected.put("WORKER_VLLM_PORT", "8000");
        expected.put("WORKER_HEARTBEAT_INTERVAL_S", "5");
        expected.put("PYTHONUNBUFFERED", "1");
        assertEquals(expected, environment("worker-agent"));
    }

    @Test
    void port8080IsLeftToTheAgent() {
        Map<String, Object> server = service("mock-vllm");
        assertNull(server.get("ports"), "the control plane reaches the server by IP; no host port");
        assertNotEquals("8080", environment("mock-vllm").get("PORT"));
        assertFalse(server.toString().contains("8080"), server.toString());
    }

    @Test
    void mockVllmUsesTheImageWithABuildFallbackAFastHealthcheckAndAMemoryLimit() {
        Map<String, Object> server = service("mock-vllm");
        assertEquals("${MOCK_VLLM_IMAGE:-worker-llamacpp:latest}", server.get("image"));
        assertEquals("Dockerfile.llamacpp", map(server, "build").get("dockerfile"));
        Map<String, Object> healthcheck = map(server, "healthcheck");
        String probe = String.valueOf(healthcheck.get("test"));
        assertFalse(probe.contains("python") || probe.contains("curl"), probe);
        assertTrue(probe.contains("/dev/tcp/127.0.0.1/8000") && probe.contains("/health"), probe);
        assertEquals("1s", healthcheck.get("start_interval"));
        assertEquals("5s", healthcheck.get("interval"));
        assertTrue(String.valueOf(server.get("mem_limit")).contains("1g"), String.valueOf(server.get("mem_limit")));
    }

    @Test
    void theImageServesOn8000AsANonRootUserWithoutCurlOrPython() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertTrue(dockerfile.contains("\nEXPOSE 8000\n"), "EXPOSE 8000");
        assertFalse(dockerfile.contains("8080"), "8080 is the agent's");
        assertTrue(dockerfile.contains("\nUSER "), "runs as a non-root user");
        assertTrue(dockerfile.contains("\nVOLUME [\"/models\"]\n"), "a /models volume");
        String healthcheck = dockerfile.substring(dockerfile.indexOf("\nHEALTHCHECK"));
        healthcheck = healthcheck.substring(0, healthcheck.indexOf("\n\n"));
        assertFalse(healthcheck.contains("curl") || healthcheck.contains("python"), healthcheck);
    }

    @Test
    void theImageRunsWithTheJvmOptionsOfMakeRun() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        String assignment = "JAVA_OPTS=\"";
        assertTrue(dockerfile.contains(assignment), "the image sets JAVA_OPTS");
        int start = dockerfile.indexOf(assignment) + assignment.length();
        List<String> imageOptions = List.of(dockerfile.substring(start, dockerfile.indexOf('"', start)).split(" "));
        for (String option : Files.readString(Path.of("scripts/jvm-options")).trim().split("\\s+")) {
            assertTrue(imageOptions.contains(option), option + " is in scripts/jvm-options, not in the image");
        }
    }

    @Test
    void dockerComposeConfigAcceptsTheFileAndRequiresInstanceId() throws Exception {
        Optional<Path> binary = onPath("docker-compose");
        assumeTrue(binary.isPresent(), "docker-compose is not installed (Debian package docker-compose)");
        Path copy = validatableCopy(binary.get());

        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("INSTANCE_ID", "0f3c9a1e-test");
        env.put("CONTROLPLANE_NETWORK_NAME", "controlplane-test-net");
        Result ok = run(env, binary.get().toString(), "-f", copy.toString(), "config");
        assertEquals(0, ok.exitCode(), ok.output());
        assertTrue(ok.output().contains("controlplane-test-net"), ok.output());
        assertTrue(ok.output().contains("0f3c9a1e-test"), ok.output());

        env.remove("INSTANCE_ID");
        Result missing = run(env, binary.get().toString(), "-f", copy.toString(), "config");
        assertNotEquals(0, missing.exitCode(), missing.output());
        assertTrue(missing.output().contains("INSTANCE_ID"), missing.output());
    }

    /**
     * The file as docker-compose can check it here. Debian's docker-compose is 1.29, whose schema
     * predates healthcheck.start_interval (Compose v2.20+, Docker Engine 25+, which the control
     * plane runs), so for 1.x that one line goes; and 1.x insists that local build contexts exist,
     * while ./inventiv-worker is the control plane's folder, so an empty one stands in for it.
     */
    private Path validatableCopy(Path binary) throws Exception {
        String text = Files.readString(COMPOSE_FILE);
        Result version = run(System.getenv(), binary.toString(), "version", "--short");
        if (version.output().trim().startsWith("1.")) {
            List<String> kept = text.lines().filter(line -> !line.trim().startsWith("start_interval:")).toList();
            assertEquals(text.lines().count() - 1, kept.size(), "only start_interval is left out for 1.x");
            text = String.join("\n", kept) + "\n";
        }
        Files.createDirectories(folder.resolve("inventiv-worker"));
        Path copy = folder.resolve(COMPOSE_FILE.getFileName());
        Files.writeString(copy, text);
        return copy;
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "docker-compose did not finish");
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Map<String, Object> compose() {
        try {
            return new Yaml().load(Files.readString(COMPOSE_FILE));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + COMPOSE_FILE.toAbsolutePath(), e);
        }
    }

    private static Map<String, Object> service(String name) {
        return map(map(compose(), "services"), name);
    }

    /** The service's environment as KEY -> VALUE (the file uses the list form). */
    private static Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object entry : (List<?>) service(service).get("environment")) {
            String text = String.valueOf(entry);
            int equals = text.indexOf('=');
            env.put(text.substring(0, equals), text.substring(equals + 1));
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertTrue(value instanceof Map, key + " must be a mapping, got " + value);
        return (Map<String, Object>) value;
    }
}
