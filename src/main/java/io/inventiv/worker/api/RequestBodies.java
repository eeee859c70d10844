package io.inventiv.worker.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
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
        JsonNode node = Json.parse(readBounded(req));
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
