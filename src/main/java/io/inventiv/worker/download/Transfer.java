package io.inventiv.worker.download;

import io.inventiv.worker.download.ModelDownloader.Attempt;
import io.inventiv.worker.download.ModelDownloader.Expected;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One request for the rest of the file, appended to the part while hashing. A 206 continues
 * the part; a 200 means the server ignored the Range, so the part starts over; a 416 means the
 * part already holds the whole file (or a different one, which starts over too).
 */
final class Transfer {
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);
    private static final String USER_AGENT = "worker-llamacpp-download/0.1";

    private final HttpClient client;
    private final URI url;
    private final Path output;
    private final Path part;
    private final FileChannel channel;
    private final Duration stallTimeout;
    private final DownloadProgress progress;
    private final Consumer<String> note;

    Transfer(HttpClient client, URI url, Path output, Path part, FileChannel channel, Duration stallTimeout,
            DownloadProgress progress, Consumer<String> note) {
        this.client = client;
        this.url = url;
        this.output = output;
        this.part = part;
        this.channel = channel;
        this.stallTimeout = stallTimeout;
        this.progress = progress;
        this.note = note;
    }

    /** Brings the part to the remote file's length; {@code mayRestart} allows one fresh start. */
    Attempt run(boolean mayRestart) throws IOException, DownloadException {
        long offset = channel.size();
        MessageDigest digest = Sha256.newDigest();
        if (offset > 0) {
            note.accept("resuming after the " + DownloadProgress.bytes(offset) + " already in " + part.getFileName());
            hashPrefix(offset, digest);
        }
        HttpResponse<InputStream> response = send(offset);
        Expected advertised = HttpDetails.advertisedSha256(response);
        int status = response.statusCode();
        long total;
        if (status == 206 && offset > 0) {
            long[] range = HttpDetails.contentRange(response);
            if (range == null || range[0] != offset) {
                response.body().close();
                return restart(mayRestart, "the server sent another range than the one asked for");
            }
            total = range[2];
        } else if (status == 200) {
            if (offset > 0) {
                note.accept("the server does not resume downloads (200, not 206): starting over.");
                channel.truncate(0);
                offset = 0;
                digest.reset();
            }
            total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        } else if (status == 416 && offset > 0) {
            response.body().close();
            long[] range = HttpDetails.contentRange(response);
            if (range != null && range[2] == offset) {
                note.accept("the partial download is already complete.");
                return new Attempt(offset, Sha256.hex(digest), advertised);
            }
            return restart(mayRestart, "the partial download does not fit the remote file");
        } else {
            response.body().close();
            throw new DownloadException(HttpDetails.describeStatus(status, url, response.uri(), output));
        }
        long needed = total >= 0 ? total - offset : 0;
        long free = Files.getFileStore(part.getParent()).getUsableSpace();
        if (needed > free) {
            response.body().close();
            throw new DownloadException("not enough disk space in " + part.getParent() + ": the download needs "
                    + DownloadProgress.bytes(needed) + ", " + DownloadProgress.bytes(free) + " is free.");
        }
        long size = copy(response, offset, total, digest);
        return new Attempt(size, Sha256.hex(digest), advertised);
    }

    private Attempt restart(boolean mayRestart, String why) throws IOException, DownloadException {
        if (!mayRestart) {
            throw new DownloadException(why + " (" + HttpDetails.display(url) + "); delete " + part
                    + " and try again.");
        }
        note.accept(why + ": starting over.");
        channel.truncate(0);
        return run(false);
    }

    /** The sum must cover the bytes of earlier attempts too. */
    private void hashPrefix(long length, MessageDigest digest) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                break;
            }
            digest.update(buffer.flip());
            position += n;
        }
    }

    private HttpResponse<InputStream> send(long offset) throws DownloadException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().timeout(HEADERS_TIMEOUT)
                .header("User-Agent", USER_AGENT);
        if (offset > 0) {
            request.header("Range", "bytes=" + offset + "-");
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("the connection timed out", e);
        } catch (HttpTimeoutException e) {
            throw new DownloadException(url.getHost() + " accepted the connection but sent no answer within "
                    + HEADERS_TIMEOUT.toSeconds() + " s; try again later.", e);
        } catch (IOException e) {
            // The JDK client reports an unknown host as a ConnectException caused by this.
            if (HttpDetails.hasCause(e, UnresolvedAddressException.class)
                    || HttpDetails.hasCause(e, UnknownHostException.class)) {
                throw unreachable("its name does not resolve", e);
            }
            if (HttpDetails.hasCause(e, ConnectException.class)) {
                String reason = HttpDetails.describe(e); // the JDK gives a refusal no message at all
                boolean bare = reason.equals(e.getClass().getSimpleName());
                throw unreachable(bare ? "the connection was refused" : reason, e);
            }
            throw new DownloadException("the request to " + HttpDetails.display(url) + " failed: "
                    + HttpDetails.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("interrupted", e);
        }
    }

    private DownloadException unreachable(String reason, Exception cause) {
        return new DownloadException("cannot reach " + url.getHost() + ": are you offline? (" + reason + "). "
                + "Connect to the network (behind a proxy, set HTTPS_PROXY), or put the GGUF file at " + output
                + " by other means; see models/README.md.", cause);
    }

    /** Streams the body into the part; returns the part's new size. */
    private long copy(HttpResponse<InputStream> response, long offset, long total, MessageDigest digest)
            throws IOException, DownloadException {
        long contentLength = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        long expectedSize = contentLength >= 0 ? offset + contentLength : total;
        progress.start(offset, expectedSize);
        channel.position(offset);
        long received = 0;
        try (InputStream in = response.body(); StallWatch watch = new StallWatch(in, stallTimeout)) {
            byte[] buffer = new byte[1 << 16];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    watch.touch();
                    write(buffer, n);
                    digest.update(buffer, 0, n);
                    received += n;
                    progress.update(offset + received);
                }
            } catch (IOException e) {
                String what = watch.stalled() ? "no data came for " + stallTimeout.toSeconds() + " s"
                        : "the connection broke (" + HttpDetails.describe(e) + ")";
                throw cut(what, offset + received, expectedSize, e);
            }
        }
        long size = offset + received;
        if (expectedSize >= 0 && size != expectedSize) {
            throw cut("the server closed the connection early", size, expectedSize, null);
        }
        progress.finish(size);
        channel.force(true);
        return size;
    }

    private void write(byte[] buffer, int length) throws DownloadException {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new DownloadException("cannot write " + part + ": " + HttpDetails.describe(e), e);
        }
    }

    /** The bytes so far stay in the part, on disk, for the next run to resume from. */
    private DownloadException cut(String what, long have, long expectedSize, Exception cause) throws IOException {
        progress.abandon();
        channel.force(false);
        String of = expectedSize >= 0 ? " of " + expectedSize : "";
        return new DownloadException("download truncated: " + what + " after " + have + of + " bytes from "
                + url.getHost() + ". The bytes received are kept in " + part
                + "; run the same command again to resume.", cause);
    }
}
