package io.inventiv.worker.engine.grammar;

import java.util.ArrayList;
import java.util.List;

/** A set of Unicode code points as sorted, disjoint, inclusive ranges. */
final class CodePointSet {
    static final int MAX = 0x10FFFF;
    private static final int SURROGATES_FROM = 0xD800;
    private static final int SURROGATES_TO = 0xDFFF;

    private final List<int[]> ranges = new ArrayList<>();

    static CodePointSet of(int... bounds) {
        CodePointSet set = new CodePointSet();
        for (int i = 0; i < bounds.length; i += 2) {
            set.add(bounds[i], bounds[i + 1]);
        }
        return set;
    }

    void add(int from, int to) {
        List<int[]> merged = new ArrayList<>();
        int lo = from;
        int hi = to;
        for (int[] range : ranges) {
            if (range[1] + 1 < lo || hi + 1 < range[0]) {
                merged.add(range);
            } else {
                lo = Math.min(lo, range[0]);
                hi = Math.max(hi, range[1]);
            }
        }
        merged.add(new int[] {lo, hi});
        merged.sort((a, b) -> Integer.compare(a[0], b[0]));
        ranges.clear();
        ranges.addAll(merged);
    }

    void addAll(CodePointSet other) {
        other.ranges.forEach(r -> add(r[0], r[1]));
    }

    /** Every code point not in this set (surrogates never, they are not characters in UTF-8). */
    CodePointSet complement() {
        CodePointSet out = new CodePointSet();
        int next = 0;
        for (int[] range : ranges) {
            if (range[0] > next) {
                out.add(next, range[0] - 1);
            }
            next = range[1] + 1;
        }
        if (next <= MAX) {
            out.add(next, MAX);
        }
        return out.minus(SURROGATES_FROM, SURROGATES_TO);
    }

    CodePointSet minus(int from, int to) {
        CodePointSet out = new CodePointSet();
        for (int[] range : ranges) {
            if (range[1] < from || range[0] > to) {
                out.add(range[0], range[1]);
            } else {
                if (range[0] < from) {
                    out.add(range[0], from - 1);
                }
                if (range[1] > to) {
                    out.add(to + 1, range[1]);
                }
            }
        }
        return out;
    }

    CodePointSet minus(CodePointSet other) {
        CodePointSet out = this;
        for (int[] range : other.ranges) {
            out = out.minus(range[0], range[1]);
        }
        return out;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    long size() {
        return ranges.stream().mapToLong(r -> r[1] - r[0] + 1L).sum();
    }

    /** The ranges as flat bound pairs, for {@link Gbnf#charClass}. */
    int[] bounds() {
        int[] out = new int[ranges.size() * 2];
        for (int i = 0; i < ranges.size(); i++) {
            out[2 * i] = ranges.get(i)[0];
            out[2 * i + 1] = ranges.get(i)[1];
        }
        return out;
    }

    List<Integer> members() {
        List<Integer> out = new ArrayList<>();
        ranges.forEach(r -> {
            for (int c = r[0]; c <= r[1]; c++) {
                out.add(c);
            }
        });
        return out;
    }
}
