package io.inventiv.worker.api;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Ids and timestamps in OpenAI's formats. */
final class RequestIds {
    private RequestIds() {
    }

    /** {@code prefix} + 32 random hex digits, like vLLM's {@code chatcmpl-…} and {@code cmpl-…}. */
    static String completionId(String prefix) {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return prefix + HexFormat.of().formatHex(random);
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
