package io.inventiv.worker.download;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** SHA-256 sums as lower-case hex, and the ones servers hand out in ETag headers. */
public final class Sha256 {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String of(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) != -1; ) {
                digest.update(buffer, 0, n);
            }
        }
        return hex(digest);
    }

    /** Whether the text is a SHA-256 in hex (either case). */
    public static boolean isSha256(String text) {
        return text != null && HEX64.matcher(text.toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * The SHA-256 an ETag carries, if it carries one. Hugging Face's X-Linked-Etag for LFS files
     * is the file's sha256 in quotes; other ETags (an MD5, a multipart id, "W/...") are not sums.
     */
    public static Optional<String> fromEtag(String etag) {
        if (etag == null) {
            return Optional.empty();
        }
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        value = value.toLowerCase(Locale.ROOT);
        return HEX64.matcher(value).matches() ? Optional.of(value) : Optional.empty();
    }
}
