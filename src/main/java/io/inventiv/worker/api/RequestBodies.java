package io.inventiv.worker.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Reads a JSON request body with the checks every endpoint shares: media type and size. */
public final class RequestBodies {
    private final long maxBodyBytes;

    public RequestBodies(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The body as a JSON object; 415, 413 or 400 otherwise. */
    public JsonNode readObject(ServerRequest req) {
        requireJsonMediaType(req);
        byte[] body = readBounded(req);
        requireUtf8(body);
        JsonNode node = Json.parse(body);
        if (!node.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object, got " + describe(node) + ".", null);
        }
        return node;
    }

    private static void requireJsonMediaType(ServerRequest req) {
        // A missing Content-Type is accepted, as curl users often omit it.
        if (!req.headers().contains(HeaderNames.CONTENT_TYPE)) {
            return;
        }
        String type = req.headers().get(HeaderNames.CONTENT_TYPE).get().toLowerCase(Locale.ROOT).trim();
        int semicolon = type.indexOf(';');
        String base = (semicolon >= 0 ? type.substring(0, semicolon) : type).trim();
        // curl -d sends form encoding by default; people typing JSON by hand rely on that.
        boolean curlDefault = base.equals("application/x-www-form-urlencoded");
        if (!base.equals("application/json") && !base.endsWith("+json") && !curlDefault) {
            throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415,
                    "Unsupported Content-Type '" + type + "'; send application/json.", null, null);
        }
    }

    /**
     * JSON text is UTF-8 (RFC 8259). Jackson would take a truncated character at the end of a string
     * or an encoded surrogate half as it comes, and the text would reach the tokenizer changed; vLLM
     * refuses such a body, and so do we.
     */
    private static void requireUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(body);
        CharBuffer chars = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(bytes, chars, true);
            if (result.isError()) {
                throw ApiException.badRequest("The request body is not valid UTF-8 (at byte " + bytes.position()
                        + ").", null);
            }
            if (result.isUnderflow()) {
                break;
            }
            chars.clear();
        }
        chars.clear();
        if (decoder.flush(chars).isError()) {
            throw ApiException.badRequest("The request body is not valid UTF-8 (at its end).", null);
        }
    }

    private byte[] readBounded(ServerRequest req) {
        req.headers().contentLength().ifPresent(length -> {
            if (length > maxBodyBytes) {
                throw tooLarge();
            }
        });
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ApiException tooLarge() {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413,
                "The request body is larger than the limit of " + maxBodyBytes + " bytes.", null, null);
    }

    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "something else";
        };
    }
}
