package io.inventiv.worker.engine.jni;

/**
 * Which token texts a grammar may safely see. llama.cpp's grammar decodes UTF-8 leniently: it
 * checks the bytes that continue a character begun in an earlier token, but not those inside a
 * token, nor overlong forms or surrogates. A token is safe when it is continuation bytes (checked
 * there), then well-formed UTF-8, then maybe the start of a character whose next byte may be any
 * continuation byte. A character that only a lone E0, ED, F0 or F4 byte token could begin is
 * therefore out of reach of a grammar.
 */
final class Utf8Fragments {
    private Utf8Fragments() {
    }

    static boolean isSafe(byte[] bytes, int from, int to) {
        int i = from;
        int leading = 0;
        while (i < to && continuation(bytes[i]) && leading < 3) {
            i++;
            leading++;
        }
        while (i < to) {
            int lead = bytes[i] & 0xFF;
            int length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                    : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
            if (length == 0) {
                return false;
            }
            if (i + length > to) {
                // An unfinished character, continued by the next token. Its second byte must come
                // with it when the lead restricts that byte's range: the grammar would not check it.
                return i + 1 == to ? lead != 0xE0 && lead != 0xED && lead != 0xF0 && lead != 0xF4
                        : secondByteFits(lead, bytes[i + 1] & 0xFF) && allContinuations(bytes, i + 1, to);
            }
            if (length > 1 && !(secondByteFits(lead, bytes[i + 1] & 0xFF) && allContinuations(bytes, i + 1, i + length))) {
                return false;
            }
            i += length;
        }
        return true;
    }

    /** The second byte's range that rules out overlong forms, surrogates and code points past U+10FFFF. */
    private static boolean secondByteFits(int lead, int second) {
        return switch (lead) {
            case 0xE0 -> second >= 0xA0 && second <= 0xBF;
            case 0xED -> second >= 0x80 && second <= 0x9F;
            case 0xF0 -> second >= 0x90 && second <= 0xBF;
            case 0xF4 -> second >= 0x80 && second <= 0x8F;
            default -> second >= 0x80 && second <= 0xBF;
        };
    }

    private static boolean allContinuations(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!continuation(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
