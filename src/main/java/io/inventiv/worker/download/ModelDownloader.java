package io.inventiv.worker.download;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

/**
 * Fetches one large file so that a file at the output path is always a whole, checked one.
 * Bytes go to {@code <output>.part}; an interrupted download resumes from it with a Range
 * request ({@link Transfer}); the part is renamed over the output only after its SHA-256
 * matched, and is deleted when it did not. The sum is the one the caller pins or, failing that,
 * the sha256 Hugging Face sends for LFS files in {@code X-Linked-Etag}.
 */
public final class ModelDownloader {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    /** A sum to check against and where it came from ("pinned", "--sha256", "X-Linked-Etag"...). */
    public record Expected(String sha256, String source) {
    }

    /** What is now at the output path; {@code verifiedBy} is null when nothing could check it. */
    public record Result(Path file, long bytes, String sha256, boolean downloaded, String verifiedBy) {
    }

    /** The finished part: its size, its sum, and the sum the server advertised (or null). */
    record Attempt(long size, String sha256, Expected advertised) {
    }

    private final HttpClient client;
    private final PrintWriter err;
    private final DownloadProgress.Style style;
    private final boolean quiet;
    private final Duration stallTimeout;

    /**
     * @param err          where notes, progress and warnings go (errors are thrown, not printed)
     * @param environment  HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read from it
     * @param stallTimeout how long the body may send nothing before the download counts as cut
     */
    public ModelDownloader(PrintWriter err, DownloadProgress.Style style, boolean quiet, Duration stallTimeout,
            Map<String, String> environment) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL) // never https -> http
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1);
        EnvProxySelector.from(environment).ifPresent(builder::proxy);
        this.client = builder.build();
        this.err = err;
        this.style = quiet ? DownloadProgress.Style.NONE : style;
        this.quiet = quiet;
        this.stallTimeout = stallTimeout;
    }

    /** Downloads {@code url} to {@code output} unless a matching file is there; expected may be null. */
    public Result download(URI url, Path output, Expected expected) throws DownloadException {
        Path target = output.toAbsolutePath();
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.getParent());
            if (Files.isRegularFile(target)) {
                if (expected == null) {
                    note(output + " already exists; not downloading it again (no SHA-256 to check it against).");
                    return new Result(target, Files.size(target), null, false, null);
                }
                String actual = Sha256.of(target);
                if (actual.equals(expected.sha256())) {
                    note(output + " is already here and matches the " + expected.source() + " SHA-256.");
                    return new Result(target, Files.size(target), actual, false, expected.source());
                }
                note(output + " exists but its SHA-256 is " + actual + ", not the " + expected.source() + " one "
                        + expected.sha256() + ": downloading it again (it is replaced once the new one checks out).");
            }
            Attempt attempt;
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE); FileLock lock = lock(channel, part)) {
                note("downloading " + HttpDetails.display(url) + "\n  to " + output);
                Transfer transfer = new Transfer(client, url, output, part, channel, stallTimeout,
                        new DownloadProgress(err, style, System::nanoTime), this::note);
                try {
                    attempt = transfer.run(true);
                } catch (DownloadException e) {
                    forgetIfEmpty(channel, part);
                    throw e;
                }
            }
            return settle(attempt, output, target, part, expected);
        } catch (IOException e) {
            throw new DownloadException("cannot write " + part + ": " + HttpDetails.describe(e), e);
        }
    }

    /** Checks the finished part and moves it into place, or deletes it. */
    private Result settle(Attempt attempt, Path output, Path target, Path part, Expected expected)
            throws IOException, DownloadException {
        Expected advertised = attempt.advertised();
        Expected check = expected != null ? expected : advertised;
        if (expected != null && advertised != null && !advertised.sha256().equals(expected.sha256())) {
            warn("the server's " + advertised.source() + " says the file's SHA-256 is " + advertised.sha256()
                    + ", but the " + expected.source() + " one is " + expected.sha256() + "; checking against the "
                    + expected.source() + " one.");
        }
        if (check == null) {
            warn("no SHA-256 to check " + output + " against (none pinned, and the server sent no X-Linked-Etag):"
                    + " it is not verified.");
        } else if (!attempt.sha256().equals(check.sha256())) {
            // A wrong file must not be resumed from either: start from nothing next time.
            Files.deleteIfExists(part);
            throw new DownloadException("checksum mismatch for " + output + ": expected " + check.sha256() + " ("
                    + check.source() + "), got " + attempt.sha256() + ". The download was deleted; run the command "
                    + "again to retry" + (expected != null ? ", or pass --sha256 if the file changed upstream." : "."));
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (check != null) {
            note("verified SHA-256 " + attempt.sha256() + " (" + check.source() + ")");
        }
        return new Result(target, attempt.size(), attempt.sha256(), true, check == null ? null : check.source());
    }

    /** A failure before any byte arrived leaves nothing to resume from, so no trace either. */
    private static void forgetIfEmpty(FileChannel channel, Path part) {
        try {
            if (channel.size() == 0) {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            // An empty part does no harm: the next run resumes from zero bytes.
        }
    }

    /** Two downloads appending to one part would corrupt it. */
    private static FileLock lock(FileChannel channel, Path part) throws IOException, DownloadException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new DownloadException("another download is writing " + part + "; wait for it to finish.");
        }
        return lock;
    }

    private void note(String message) {
        if (!quiet) {
            err.println(message);
            err.flush();
        }
    }

    private void warn(String message) {
        err.println("warning: " + message);
        err.flush();
    }
}
