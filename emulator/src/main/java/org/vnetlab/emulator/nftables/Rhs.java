package org.vnetlab.emulator.nftables;

import java.util.List;

/** The right-hand side of a match: a constant, a prefix, a range, an anonymous set or a named set. */
public sealed interface Rhs {

    /** What an anonymous or named set may hold, and what a plain match may compare with. */
    sealed interface Element extends Rhs {
        /** Lowest value covered. */
        Value low(DataType type);

        /** Highest value covered. */
        Value high(DataType type);
    }

    record Single(Value value) implements Element {
        public Value low(DataType type) { return value; }

        public Value high(DataType type) { return value; }
    }

    /** {@code 10.0.0.0/8}: the base has no bits beyond the prefix (nft clears them). */
    record Prefix(Value base, int length) implements Element {
        public Value low(DataType type) { return base; }

        public Value high(DataType type) { return type.prefixEnd(base, length); }
    }

    /** {@code 1000-2000}, {@code 10.0.0.1-10.0.0.5}. */
    record Range(Value low, Value high) implements Element {
        public Value low(DataType type) { return low; }

        public Value high(DataType type) { return high; }
    }

    /** {@code { a, b, c }}, elements in nft's print order (sorted; intervals merged). */
    record AnonSet(List<Element> elements) implements Rhs {
        public AnonSet {
            elements = List.copyOf(elements);
        }
    }

    /** {@code @name}. */
    record SetRef(String name) implements Rhs {}
}
