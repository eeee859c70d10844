package io.inventiv.worker.engine.grammar;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GBNF grammar under construction: named rules, with helpers that write literals and character
 * classes in the one escaped form every llama.cpp grammar parser reads ({@code \xHH},
 * {@code \\uHHHH}, {@code \UHHHHHHHH}), old and new.
 */
public final class Gbnf {
    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Map<String, String> namesByBody = new LinkedHashMap<>();
    private int counter;

    /** Defines {@code name}; a name defined twice keeps its first body (shared primitives). */
    public String define(String name, String body) {
        rules.putIfAbsent(name, body);
        return name;
    }

    /** A rule for {@code body} under a fresh name, or the existing rule with the same body. */
    public String rule(String body) {
        return namesByBody.computeIfAbsent(body, b -> define("r" + (++counter), b));
    }

    /** A fresh name for a rule defined later (recursive references). */
    public String reserve() {
        return "r" + (++counter);
    }

    public boolean defines(String name) {
        return rules.containsKey(name);
    }

    /** The grammar text, {@code root} first. */
    public String text(String rootBody) {
        StringBuilder out = new StringBuilder("root ::= ").append(rootBody).append('\n');
        rules.forEach((name, body) -> out.append(name).append(" ::= ").append(body).append('\n'));
        return out.toString();
    }

    /** A quoted literal matching exactly {@code text}. */
    public static String literal(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> out.append(escape(c)));
        return out.append('"').toString();
    }

    /** A character class: {@code ranges} holds pairs of inclusive code point bounds. */
    public static String charClass(boolean negated, int... ranges) {
        StringBuilder out = new StringBuilder(negated ? "[^" : "[");
        for (int i = 0; i < ranges.length; i += 2) {
            out.append(escape(ranges[i]));
            if (ranges[i + 1] != ranges[i]) {
                out.append('-').append(escape(ranges[i + 1]));
            }
        }
        return out.append(']').toString();
    }

    /** {@code item} repeated between {@code min} and {@code max} times ({@code max} &lt; 0: unbounded). */
    public static String repeat(String item, int min, int max) {
        if (min == 0 && max == 1) {
            return "(" + item + ")?";
        }
        if (max < 0) {
            return min == 0 ? "(" + item + ")*" : min == 1 ? "(" + item + ")+" : "(" + item + "){" + min + ",}";
        }
        return min == max ? "(" + item + "){" + min + "}" : "(" + item + "){" + min + "," + max + "}";
    }

    /** One code point as GBNF writes it inside a literal or a class. */
    static String escape(int c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ') {
            return Character.toString(c);
        }
        if (c < 0x100) {
            return String.format("\\x%02X", c);
        }
        return c <= 0xFFFF ? String.format("\\u%04X", c) : String.format("\\U%08X", c);
    }
}
