package io.inventiv.worker.engine.grammar;

/** How JSON writes one character inside a string: the escapes a grammar must spell out. */
final class JsonText {
    private JsonText() {
    }

    static String escape(int c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> c < 0x20 ? String.format("\\u%04x", c) : Character.toString(c);
        };
    }
}
