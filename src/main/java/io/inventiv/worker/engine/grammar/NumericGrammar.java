package io.inventiv.worker.engine.grammar;

import java.util.ArrayList;
import java.util.List;

/**
 * Integers and decimals between bounds, as GBNF. Digit counts are bounded (15 before the point,
 * 6 after), so that even a model with random weights finishes every number it starts.
 */
final class NumericGrammar {
    /** The largest magnitude written: 15 digits, exact in a double. */
    static final long LIMIT = 999_999_999_999_999L;
    static final String INTEGER = "\"-\"? (\"0\" | [1-9] [0-9]{0,14})";
    static final String FRACTION = "\".\" [0-9]{1,6}";
    static final String NUMBER = INTEGER + " (" + FRACTION + ")? ([eE] [-+]? [0-9]{1,2})?";

    private NumericGrammar() {
    }

    /** Integers in [lo, hi]; the caller has checked lo ≤ hi within ±{@link #LIMIT}. */
    static String integers(long lo, long hi) {
        if (hi < 0) {
            return "\"-\" " + nonNegative(-hi, -lo);
        }
        if (lo < 0) {
            return "(\"-\" " + nonNegative(1, -lo) + " | " + nonNegative(0, hi) + ")";
        }
        return nonNegative(lo, hi);
    }

    /**
     * Decimals in [lo, hi], both integers: whole numbers in the range, and fractions whose every
     * value lies inside it (m.f for 0 ≤ m &lt; hi, and -m.f for m &lt; -lo).
     */
    static String decimals(long lo, long hi) {
        List<String> alternatives = new ArrayList<>();
        alternatives.add(integers(lo, hi));
        long positiveFrom = Math.max(0, lo);
        if (positiveFrom <= hi - 1) {
            alternatives.add(nonNegative(positiveFrom, hi - 1) + " " + FRACTION);
        }
        long negativeFrom = Math.max(0, -hi);
        if (negativeFrom <= -lo - 1) {
            alternatives.add("\"-\" " + nonNegative(negativeFrom, -lo - 1) + " " + FRACTION);
        }
        return "(" + String.join(" | ", alternatives) + ")";
    }

    private static String nonNegative(long a, long b) {
        List<String> alternatives = new ArrayList<>();
        for (int digits = digits(a); digits <= digits(b); digits++) {
            long from = Math.max(a, digits == 1 ? 0 : pow10(digits - 1));
            long to = Math.min(b, pow10(digits) - 1);
            if (from <= to) {
                alternatives.add(sameLength(pad(from, digits), pad(to, digits)));
            }
        }
        return alternatives.size() == 1 ? alternatives.get(0) : "(" + String.join(" | ", alternatives) + ")";
    }

    /** Digit strings of one length from {@code x} to {@code y}. */
    private static String sameLength(String x, String y) {
        int n = x.length();
        if (x.equals(y)) {
            return Gbnf.literal(x);
        }
        if (x.chars().allMatch(c -> c == '0') && y.chars().allMatch(c -> c == '9')) {
            return n == 1 ? "[0-9]" : "[0-9]{" + n + "}";
        }
        char fx = x.charAt(0);
        char fy = y.charAt(0);
        if (n == 1) {
            return "[" + fx + "-" + fy + "]";
        }
        String restX = x.substring(1);
        String restY = y.substring(1);
        if (fx == fy) {
            return Gbnf.literal(String.valueOf(fx)) + " " + sameLength(restX, restY);
        }
        List<String> alternatives = new ArrayList<>();
        char middleFrom = fx;
        char middleTo = fy;
        if (!restX.chars().allMatch(c -> c == '0')) {
            alternatives.add(Gbnf.literal(String.valueOf(fx)) + " " + sameLength(restX, "9".repeat(n - 1)));
            middleFrom++;
        }
        if (!restY.chars().allMatch(c -> c == '9')) {
            alternatives.add(Gbnf.literal(String.valueOf(fy)) + " " + sameLength("0".repeat(n - 1), restY));
            middleTo--;
        }
        if (middleFrom <= middleTo) {
            alternatives.add("[" + middleFrom + "-" + middleTo + "] " + (n == 2 ? "[0-9]" : "[0-9]{" + (n - 1) + "}"));
        }
        return alternatives.size() == 1 ? alternatives.get(0) : "(" + String.join(" | ", alternatives) + ")";
    }

    private static int digits(long value) {
        return Long.toString(value).length();
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }

    private static String pad(long value, int digits) {
        String text = Long.toString(value);
        return "0".repeat(digits - text.length()) + text;
    }
}
