package org.vnetlab.emulator.nftables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How nft stores set elements: an interval set (one with a prefix or range, or flagged {@code interval})
 * keeps disjoint intervals, overlapping and adjacent ones merged, listed in order and printed as a prefix when
 * an interval is exactly one, else as {@code low-high}; other sets keep single values, listed in order.
 */
public final class Intervals {
    private Intervals() {}

    /** Whether any element needs an interval set. */
    public static boolean needsIntervals(List<? extends Rhs.Element> elements) {
        return elements.stream().anyMatch(e -> !(e instanceof Rhs.Single));
    }

    /** Sorted, de-duplicated single values. */
    public static List<Rhs.Element> sortedSingles(List<? extends Rhs.Element> elements) {
        List<Rhs.Element> out = new ArrayList<>();
        elements.stream().map(e -> (Rhs.Single) e).sorted(Comparator.comparing(Rhs.Single::value)).forEach(s -> {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) out.add(s);
        });
        return out;
    }

    /** Merged intervals, in order, each as nft prints it (single value, prefix or range). */
    public static List<Rhs.Element> merged(DataType type, List<? extends Rhs.Element> elements) {
        List<Value[]> spans = new ArrayList<>();
        for (Rhs.Element e : elements) spans.add(new Value[] {e.low(type), e.high(type)});
        spans.sort(Comparator.comparing(s -> s[0]));
        List<Value[]> merged = new ArrayList<>();
        for (Value[] s : spans) {
            if (!merged.isEmpty()) {
                Value[] last = merged.get(merged.size() - 1);
                Optional<Value> after = type.next(last[1]);
                if (after.isEmpty() || s[0].compareTo(after.get()) <= 0) {
                    if (s[1].compareTo(last[1]) > 0) last[1] = s[1];
                    continue;
                }
            }
            merged.add(new Value[] {s[0], s[1]});
        }
        List<Rhs.Element> out = new ArrayList<>();
        for (Value[] s : merged) out.add(element(type, s[0], s[1]));
        return out;
    }

    /** The element for {@code [low, high]}: a single value, a prefix when it is exactly one, else a range. */
    public static Rhs.Element element(DataType type, Value low, Value high) {
        if (low.equals(high)) return new Rhs.Single(low);
        int bits = type.bits();
        for (int len = bits - 1; len >= 0; len--) {
            if (type.prefixBase(low, len).equals(low) && type.prefixEnd(low, len).equals(high)) return new Rhs.Prefix(low, len);
            if (!type.prefixBase(low, len).equals(low)) break;
        }
        return new Rhs.Range(low, high);
    }

    /** Whether {@code v} lies in the element. */
    public static boolean contains(DataType type, Rhs.Element e, Value v) {
        return v.compareTo(e.low(type)) >= 0 && v.compareTo(e.high(type)) <= 0;
    }
}
