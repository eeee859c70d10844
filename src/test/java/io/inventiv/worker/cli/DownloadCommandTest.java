package io.inventiv.worker.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.inventiv.worker.download.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The download command against a local server that behaves like Hugging Face: a redirect that
 * carries the sha256 in X-Linked-Etag, then a CDN that honours Range requests.
 */
class DownloadCommandTest {
    private static final byte[] CONTENT = randomBytes(3 * 1024 * 1024 + 17);
    private static final String SHA256 = sha256(CONTENT);
    private static final String OTHER_SHA256 = "0".repeat(64);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    @TempDir
    Path folder;

    private HttpServer server;
    private ExecutorService executor;
    private String base;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/resolve/model.gguf", exchange -> {
            exchange.getResponseHeaders().add("Location", "/cdn/model.gguf?X-Amz-Signature=secret");
            exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + SHA256 + "\"");
            respond(exchange, 302, new byte[0]);
        });
        server.createContext("/cdn/model.gguf", ranged(SHA256));
        server.createContext("/ignores-range/model.gguf", exchange -> {
            exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + SHA256 + "\"");
            respond(exchange, 200, CONTENT);
        });
        server.createContext("/wrong-sum/model.gguf", ranged(OTHER_SHA256));
        server.createContext("/no-sum/model.gguf", exchange -> respond(exchange, 200, CONTENT));
        server.createContext("/error/model.gguf", exchange -> respond(exchange, 500, "boom".getBytes()));
        server.createContext("/truncated/model.gguf", exchange -> {
            exchange.sendResponseHeaders(200, CONTENT.length);
            OutputStream body = exchange.getResponseBody();
            body.write(CONTENT, 0, CONTENT.length / 2);
            body.flush();
            exchange.close(); // fewer bytes than Content-Length: the server drops the connection
        });
        server.createContext("/stalls/model.gguf", exchange -> {
            exchange.sendResponseHeaders(200, CONTENT.length);
            exchange.getResponseBody().write(CONTENT, 0, 1000);
            exchange.getResponseBody().flush();
            sleep(10_000);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void downloadsAndVerifiesAgainstTheXLinkedEtagOfTheRedirect() throws IOException {
        Run run = download("--url", base + "/resolve/model.gguf");
        assertEquals(0, run.exitCode(), run.err());
        assertArrayEquals(CONTENT, Files.readAllBytes(output()));
        assertFalse(Files.exists(part()));
        assertTrue(run.err().contains("verified SHA-256 " + SHA256 + " (X-Linked-Etag from 127.0.0.1)"), run.err());
        assertFalse(run.err().contains("secret"), "signed CDN URLs are not printed: " + run.err());
        assertTrue(run.out().contains(CONTENT.length + " bytes, sha256 " + SHA256), run.out());
    }

    @Test
    void progressLinesShowBytesRateAndEta() {
        Run run = download("--url", base + "/resolve/model.gguf", "--progress", "lines");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("/ 3.0 MiB, "), run.err());
        assertTrue(run.err().contains("/s, ETA "), run.err());
        assertTrue(run.err().contains("100% 3.0 MiB / 3.0 MiB"), run.err());
        assertTrue(run.err().contains("done: 3.0 MiB in "), run.err());
        assertFalse(run.err().contains("\r"), "a log gets whole lines");
    }

    @Test
    void progressBarRedrawsOneLine() {
        Run run = download("--url", base + "/resolve/model.gguf", "--progress", "bar");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("\r[########################] 100% 3.0 MiB / 3.0 MiB"), run.err());
    }

    @Test
    void quietPrintsNothingOnSuccess() {
        Run run = download("--url", base + "/resolve/model.gguf", "--quiet");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        assertEquals("", run.out());
    }

    @Test
    void resumesFromThePartWithARangeRequest() throws IOException {
        int have = 1_000_003;
        Files.write(part(), Arrays.copyOf(CONTENT, have));
        Run run = download("--url", base + "/resolve/model.gguf");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(requests.contains("/cdn/model.gguf range=bytes=" + have + "- -> 206"), requests.toString());
        assertArrayEquals(CONTENT, Files.readAllBytes(output()));
        assertFalse(Files.exists(part()));
        assertTrue(run.err().contains("resuming after the 976.6 KiB already in model.gguf.part"), run.err());
    }

    @Test
    void aServerThatIgnoresRangeMeansStartingOver() throws IOException {
        Files.write(part(), Arrays.copyOf(CONTENT, 12345));
        Run run = download("--url", base + "/ignores-range/model.gguf");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("200, not 206"), run.err());
        assertArrayEquals(CONTENT, Files.readAllBytes(output()));
    }

    @Test
    void aPartFromAnotherFileFailsTheChecksumAndIsDeleted() throws IOException {
        byte[] garbage = new byte[500_000];
        Arrays.fill(garbage, (byte) 7);
        Files.write(part(), garbage);
        Run run = download("--url", base + "/resolve/model.gguf");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("error: checksum mismatch"), run.err());
        assertFalse(Files.exists(output()));
        assertFalse(Files.exists(part()), "the next run must start from nothing");
    }

    @Test
    void checksumMismatchLeavesNoFileBehind() {
        Run run = download("--url", base + "/wrong-sum/model.gguf");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("error: checksum mismatch for " + output() + ": expected " + OTHER_SHA256
                + " (X-Linked-Etag from 127.0.0.1), got " + SHA256), run.err());
        assertFalse(Files.exists(output()));
        assertFalse(Files.exists(part()));
    }

    @Test
    void aGivenSha256WinsOverTheServersAndAMismatchFails() {
        Run run = download("--url", base + "/resolve/model.gguf", "--sha256", OTHER_SHA256.toUpperCase());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("warning: the server's X-Linked-Etag"), run.err());
        assertTrue(run.err().contains("expected " + OTHER_SHA256 + " (given)"), run.err());
        assertFalse(Files.exists(output()));
        assertFalse(Files.exists(part()));
    }

    @Test
    void withoutAnySumTheFileIsKeptWithAWarning() throws IOException {
        Run run = download("--url", base + "/no-sum/model.gguf");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("warning: no SHA-256 to check"), run.err());
        assertArrayEquals(CONTENT, Files.readAllBytes(output()));
    }

    @Test
    void serverErrorExitsOneWithStatusAndUrl() {
        Run run = download("--url", base + "/error/model.gguf");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("error: HTTP 500 from " + base + "/error/model.gguf"), run.err());
        assertFalse(Files.exists(output()));
        assertFalse(Files.exists(part()), "an empty part is not kept");
    }

    @Test
    void truncatedBodyExitsOneAndKeepsOnlyThePart() throws IOException {
        Run run = download("--url", base + "/truncated/model.gguf");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("error: download truncated"), run.err());
        assertTrue(run.err().contains(" of " + CONTENT.length + " bytes"), run.err());
        assertFalse(Files.exists(output()), "a cut download must not look complete");
        assertTrue(Files.size(part()) <= CONTENT.length / 2, "the part holds what came, for resuming");
    }

    @Test
    void aStalledDownloadGivesUpAndKeepsThePart() throws IOException {
        long start = System.nanoTime();
        Run run = download("--url", base + "/stalls/model.gguf", "--stall-timeout", "1");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("no data came for 1 s after 1000 of " + CONTENT.length), run.err());
        assertTrue(System.nanoTime() - start < 8_000_000_000L, "gave up before the server woke up");
        assertFalse(Files.exists(output()));
        assertEquals(1000, Files.size(part()));
    }

    @Test
    void unreachableHostSaysOffline() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Run run = download("--url", "http://127.0.0.1:" + closedPort + "/model.gguf");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("error: cannot reach 127.0.0.1: are you offline?"), run.err());
        assertFalse(Files.exists(output()));
        assertFalse(Files.exists(part()));
    }

    @Test
    void anExistingFileThatMatchesIsNotDownloadedAgain() throws IOException {
        Files.write(output(), CONTENT);
        Run run = download("--url", base + "/resolve/model.gguf", "--sha256", SHA256);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(requests.isEmpty(), requests.toString());
        assertTrue(run.err().contains("is already here and matches the given SHA-256"), run.err());
    }

    @Test
    void anExistingFileThatDiffersIsReplacedOnlyByAVerifiedOne() throws IOException {
        Files.write(output(), new byte[] {1, 2, 3});
        Run run = download("--url", base + "/resolve/model.gguf", "--sha256", SHA256);
        assertEquals(0, run.exitCode(), run.err());
        assertArrayEquals(CONTENT, Files.readAllBytes(output()));
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, download("--url", base + "/resolve/model.gguf", "--sha256", "abc").exitCode());
        assertEquals(2, download("--url", "ftp://example.com/model.gguf").exitCode());
        assertEquals(2, download("--url", base + "/resolve/model.gguf", "--progress", "fancy").exitCode());
    }

    @Test
    void theDefaultModelHasAPinnedSum() {
        assertTrue(Sha256.isSha256(DownloadCommand.DEFAULT_SHA256));
        assertTrue(DownloadCommand.DEFAULT_URL.startsWith("https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/"));
        assertTrue(DownloadCommand.DEFAULT_URL.endsWith("/" + Path.of(DownloadCommand.DEFAULT_OUTPUT).getFileName()));
    }

    @Test
    void etagsAreSumsOnlyWhenTheyLookLikeOne() {
        assertEquals(SHA256, Sha256.fromEtag("W/\"" + SHA256.toUpperCase() + "\"").orElseThrow());
        assertEquals(SHA256, Sha256.fromEtag(SHA256).orElseThrow());
        assertTrue(Sha256.fromEtag("\"d41d8cd98f00b204e9800998ecf8427e-3\"").isEmpty());
        assertTrue(Sha256.fromEtag(null).isEmpty());
    }

    private record Run(int exitCode, String out, String err) {
    }

    /** Runs the command as the CLI does, with --output in the temp folder unless given. */
    private Run download(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new DownloadCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        String[] withOutput = Arrays.copyOf(args, args.length + 2);
        withOutput[args.length] = "--output";
        withOutput[args.length + 1] = output().toString();
        int exitCode = command.execute(withOutput);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Path output() {
        return folder.resolve("model.gguf");
    }

    private Path part() {
        return folder.resolve("model.gguf.part");
    }

    /** Serves CONTENT like a CDN: honours "Range: bytes=N-" with 206, else 200. */
    private HttpHandler ranged(String advertisedSha256) {
        return exchange -> {
            exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + advertisedSha256 + "\"");
            exchange.getResponseHeaders().add("ETag", "\"d41d8cd98f00b204e9800998ecf8427e-3\"");
            String range = exchange.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches() && Long.parseLong(m.group(1)) < CONTENT.length) {
                int from = Integer.parseInt(m.group(1));
                exchange.getResponseHeaders().add("Content-Range",
                        "bytes " + from + "-" + (CONTENT.length - 1) + "/" + CONTENT.length);
                respond(exchange, 206, Arrays.copyOfRange(CONTENT, from, CONTENT.length));
            } else {
                respond(exchange, 200, CONTENT);
            }
        };
    }

    private void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        requests.add(exchange.getRequestURI().getPath() + (range == null ? "" : " range=" + range) + " -> " + status);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
