package io.inventiv.worker.engine.grammar;

import java.util.ArrayList;
import java.util.List;

/**
 * A regular expression (the ECMA-262 subset JSON Schema patterns use) as a GBNF expression that
 * produces only strings the pattern matches. Everything a grammar cannot express exactly
 * (lookaround, backreferences, word boundaries, anchors inside) is refused, never approximated.
 * Unanchored patterns are generated as if anchored: a subset of what they match. Characters
 * outside the Basic Multilingual Plane are never generated.
 */
public final class RegexGrammar {
    /** Raw text, or the inside of a JSON string (quotes, backslashes and controls escaped). */
    public enum Mode { RAW, JSON_STRING }

    /** Largest count a {n,m} quantifier may ask for; llama.cpp expands repetitions into rules. */
    public static final int MAX_REPEAT = 256;

    private static final CodePointSet DIGITS = CodePointSet.of('0', '9');
    private static final CodePointSet WORD = CodePointSet.of('0', '9', 'A', 'Z', '_', '_', 'a', 'z');
    private static final CodePointSet ASCII_SPACE = CodePointSet.of('\t', '\r', ' ', ' ');
    /** Every character ECMA's \s matches, so that \S excludes all of them. */
    private static final CodePointSet ALL_SPACE = CodePointSet.of('\t', '\r', ' ', ' ', 0xA0, 0xA0, 0x1680, 0x1680,
            0x2000, 0x200A, 0x2028, 0x2029, 0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000, 0xFEFF, 0xFEFF);
    private static final CodePointSet LINE_ENDS = CodePointSet.of('\n', '\n', '\r', '\r', 0x2028, 0x2029);
    private static final CodePointSet JSON_UNSAFE = CodePointSet.of(0, 0x1F, '"', '"', '\\', '\\');

    private final String pattern;
    private final int[] chars;
    private final Mode mode;
    private int pos;

    private RegexGrammar(String pattern, Mode mode) {
        this.pattern = pattern;
        this.chars = pattern.codePoints().toArray();
        this.mode = mode;
    }

    /** The GBNF expression for {@code pattern}; throws {@link GrammarException} naming the problem. */
    public static String expression(String pattern, Mode mode) {
        return new RegexGrammar(pattern, mode).parse();
    }

    private String parse() {
        int end = chars.length;
        if (end > 0 && chars[0] == '^') {
            pos = 1;
        }
        if (end > pos && chars[end - 1] == '$' && !escaped(end - 1)) {
            end--;
        }
        String expression = alternation(end);
        if (pos != end) {
            throw error("unbalanced ')'");
        }
        return expression;
    }

    private boolean escaped(int index) {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && chars[i] == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private String alternation(int end) {
        List<String> branches = new ArrayList<>();
        branches.add(sequence(end));
        while (pos < end && chars[pos] == '|') {
            pos++;
            branches.add(sequence(end));
        }
        return branches.size() == 1 ? branches.get(0) : "(" + String.join(" | ", branches) + ")";
    }

    private String sequence(int end) {
        List<String> items = new ArrayList<>();
        while (pos < end && chars[pos] != '|' && chars[pos] != ')') {
            items.add(quantified(atom(end), end));
        }
        return items.isEmpty() ? "\"\"" : "(" + String.join(" ", items) + ")";
    }

    private String atom(int end) {
        int c = chars[pos++];
        return switch (c) {
            case '(' -> group(end);
            case '[' -> render(charClass(end));
            case '.' -> render(LINE_ENDS.complement());
            case '\\' -> render(escape(end, false, false));
            case '^', '$' -> throw error("an anchor inside the pattern is not supported");
            case '*', '+', '?', '{' -> throw error("nothing to repeat at position " + (pos - 1));
            default -> render(CodePointSet.of(c, c));
        };
    }

    private String group(int end) {
        if (pos < end && chars[pos] == '?') {
            if (pos + 1 < end && chars[pos + 1] == ':') {
                pos += 2;
            } else if (pos + 1 < end && chars[pos + 1] == '<' && pos + 2 < end && chars[pos + 2] != '='
                    && chars[pos + 2] != '!') {
                while (pos < end && chars[pos] != '>') {
                    pos++; // a named group is a plain group here
                }
                pos++;
            } else {
                throw error("lookaround and other (?...) groups are not supported");
            }
        }
        String inside = alternation(end);
        if (pos >= end || chars[pos] != ')') {
            throw error("missing ')'");
        }
        pos++;
        return inside;
    }

    private String quantified(String atom, int end) {
        if (pos >= end) {
            return atom;
        }
        int min;
        int max;
        switch (chars[pos]) {
            case '*' -> { min = 0; max = -1; pos++; }
            case '+' -> { min = 1; max = -1; pos++; }
            case '?' -> { min = 0; max = 1; pos++; }
            case '{' -> {
                int[] bounds = braces(end);
                min = bounds[0];
                max = bounds[1];
            }
            default -> {
                return atom;
            }
        }
        if (pos < end && chars[pos] == '?') {
            pos++; // lazy: the same strings
        } else if (pos < end && chars[pos] == '+') {
            throw error("possessive quantifiers are not supported");
        }
        return Gbnf.repeat(atom, min, max);
    }

    private int[] braces(int end) {
        int close = pos;
        while (close < end && chars[close] != '}') {
            close++;
        }
        if (close >= end) {
            throw error("unterminated '{'");
        }
        String inside = new String(chars, pos + 1, close - pos - 1);
        pos = close + 1;
        if (!inside.matches("\\d{1,4}(,\\d{0,4})?")) {
            throw error("invalid quantifier {" + inside + "}");
        }
        String[] parts = inside.split(",", -1);
        int min = Integer.parseInt(parts[0]);
        int max = parts.length == 1 ? min : parts[1].isEmpty() ? -1 : Integer.parseInt(parts[1]);
        if (max >= 0 && max < min) {
            throw error("quantifier {" + inside + "} has its bounds reversed");
        }
        if (min > MAX_REPEAT || max > MAX_REPEAT) {
            throw error("quantifier {" + inside + "} exceeds " + MAX_REPEAT);
        }
        return new int[] {min, max};
    }

    private CodePointSet charClass(int end) {
        boolean negated = pos < end && chars[pos] == '^';
        if (negated) {
            pos++;
        }
        CodePointSet set = new CodePointSet();
        while (pos < end && chars[pos] != ']') {
            CodePointSet first = member(end, negated);
            if (pos + 1 < end && chars[pos] == '-' && chars[pos + 1] != ']' && single(first)) {
                pos++;
                CodePointSet last = member(end, negated);
                int from = first.bounds()[0];
                if (!single(last) || last.bounds()[0] < from) {
                    throw error("invalid range in a character class");
                }
                set.add(from, last.bounds()[0]);
            } else {
                set.addAll(first);
            }
        }
        if (pos >= end) {
            throw error("unterminated character class");
        }
        pos++;
        return negated ? set.complement() : set;
    }

    private static boolean single(CodePointSet set) {
        return set.size() == 1;
    }

    private CodePointSet member(int end, boolean negated) {
        int c = chars[pos++];
        return c == '\\' ? escape(end, true, negated) : CodePointSet.of(c, c);
    }

    /**
     * What an escape matches. Validators disagree on whether \s covers Unicode spaces, so a
     * class we generate from keeps to the characters both agree on: ASCII spaces for \s, and
     * for \S, or in a negated class, every space is left out.
     */
    private CodePointSet escape(int end, boolean inClass, boolean negatedClass) {
        if (pos >= end) {
            throw error("a pattern cannot end with '\\'");
        }
        int c = chars[pos++];
        return switch (c) {
            case 'd' -> DIGITS;
            case 'D' -> DIGITS.complement();
            case 'w' -> WORD;
            case 'W' -> WORD.complement();
            case 's' -> negatedClass ? ALL_SPACE : ASCII_SPACE;
            case 'S' -> negatedClass ? ASCII_SPACE.complement() : ALL_SPACE.complement();
            case 'n' -> CodePointSet.of('\n', '\n');
            case 'r' -> CodePointSet.of('\r', '\r');
            case 't' -> CodePointSet.of('\t', '\t');
            case 'f' -> CodePointSet.of('\f', '\f');
            case 'v' -> CodePointSet.of(0x0B, 0x0B);
            case '0' -> CodePointSet.of(0, 0);
            case 'x' -> hex(2, end);
            case 'u' -> hex(4, end);
            case 'b' -> {
                if (!inClass) {
                    throw error("word boundaries (\\b) are not supported");
                }
                yield CodePointSet.of(8, 8);
            }
            default -> {
                if (Character.isLetterOrDigit(c)) {
                    throw error("the escape \\" + Character.toString(c) + " is not supported");
                }
                yield CodePointSet.of(c, c);
            }
        };
    }

    private CodePointSet hex(int digits, int end) {
        if (pos + digits > end) {
            throw error("truncated hexadecimal escape");
        }
        String text = new String(chars, pos, digits);
        if (!text.matches("[0-9a-fA-F]+")) {
            throw error("invalid hexadecimal escape \\" + (digits == 2 ? "x" : "u") + text);
        }
        pos += digits;
        int c = Integer.parseInt(text, 16);
        return CodePointSet.of(c, c);
    }

    /** The characters of {@code set} this mode can write, as one GBNF item. */
    private String render(CodePointSet set) {
        // Within the BMP, where ECMA-262 regexes (UTF-16 units) and code points count alike.
        CodePointSet characters = set.minus(0xD800, 0xDFFF).minus(0x10000, CodePointSet.MAX);
        CodePointSet safe = mode == Mode.JSON_STRING ? characters.minus(JSON_UNSAFE) : characters;
        List<String> alternatives = new ArrayList<>();
        if (safe.size() == 1) {
            alternatives.add(Gbnf.literal(Character.toString(safe.bounds()[0])));
        } else if (safe.size() > 0x8000) {
            CodePointSet excluded = safe.complement();
            excluded.add(0xD800, 0xDFFF); // never characters, though a lenient decoder may produce them
            alternatives.add(Gbnf.charClass(true, excluded.bounds()));
        } else if (!safe.isEmpty()) {
            alternatives.add(Gbnf.charClass(false, safe.bounds()));
        }
        if (mode == Mode.JSON_STRING) {
            for (int c : characters.minus(safe).members()) {
                alternatives.add(Gbnf.literal(JsonText.escape(c)));
            }
        }
        if (alternatives.isEmpty()) {
            throw error("a character class matches no character");
        }
        return alternatives.size() == 1 ? alternatives.get(0) : "(" + String.join(" | ", alternatives) + ")";
    }

    private GrammarException error(String why) {
        return new GrammarException("pattern " + pattern + ": " + why);
    }
}
