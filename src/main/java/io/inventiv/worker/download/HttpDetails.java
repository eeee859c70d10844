package io.inventiv.worker.download;

import io.inventiv.worker.download.ModelDownloader.Expected;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the downloader reads from responses, and how it names them in messages. */
final class HttpDetails {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");

    private HttpDetails() {
    }

    /**
     * The sha256 the server vouches for. Hugging Face puts it in X-Linked-Etag on the redirect
     * from huggingface.co, before the CDN (whose own ETag may be anything), so every response of
     * the redirect chain is read; X-Linked-Etag wins over a plain ETag.
     */
    static Expected advertisedSha256(HttpResponse<?> last) {
        for (String header : new String[] {"X-Linked-Etag", "ETag"}) {
            for (HttpResponse<?> r = last; r != null; r = r.previousResponse().orElse(null)) {
                Optional<String> sum = r.headers().firstValue(header).flatMap(Sha256::fromEtag);
                if (sum.isPresent()) {
                    return new Expected(sum.get(), header + " from " + r.uri().getHost());
                }
            }
        }
        return null;
    }

    /** Content-Range as {first, last, total}; -1 for "*" parts; null when absent or unreadable. */
    static long[] contentRange(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Content-Range");
        if (header.isEmpty()) {
            return null;
        }
        Matcher m = CONTENT_RANGE.matcher(header.get().trim());
        if (!m.matches()) {
            return null;
        }
        return new long[] {m.group(1) == null ? -1 : Long.parseLong(m.group(1)),
            m.group(2) == null ? -1 : Long.parseLong(m.group(2)),
            m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3))};
    }

    /** "HTTP 404 from URL (redirected to host)", with what to do about it. */
    static String describeStatus(int status, URI requested, URI answered, Path output) {
        String where = display(requested);
        if (answered != null && answered.getHost() != null && !answered.getHost().equals(requested.getHost())) {
            where += " (redirected to " + answered.getHost() + ")";
        }
        String hint = switch (status) {
            case 401, 403 -> "the file is private or gated: accept its licence on the model's page, download it "
                    + "in a browser and put it at " + output + ".";
            case 404 -> "check the repository, branch and file name in the URL.";
            case 429 -> "the server limits request rates; wait a minute and try again.";
            default -> status >= 500 ? "the server failed; try again later." : "";
        };
        return "HTTP " + status + " from " + where + (hint.isEmpty() ? "" : ": " + hint);
    }

    /** The URL without its query: signed CDN URLs are long and carry credentials. */
    static String display(URI url) {
        String text = url.toString();
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }

    /** The first message in the cause chain (the JDK client often wraps one without a message). */
    static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return error.getClass().getSimpleName();
    }

    static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
