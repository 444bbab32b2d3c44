package org.vnetlab.emulator.libvirt.schema;

/**
 * A RELAX NG pattern in the simplified form that derivative-based validation works on (James Clark, "An
 * algorithm for RELAX NG validation"). Records compare structurally so the smart constructors in
 * {@link Derivatives} can merge equal alternatives; elements compare by identity, which also ends recursion
 * through the recursive {@code <metadata>} content.
 */
sealed interface Pattern permits Pattern.Empty, Pattern.NotAllowed, Pattern.Text, Pattern.Choice,
        Pattern.Interleave, Pattern.Group, Pattern.OneOrMore, Pattern.Data, Pattern.Value, Pattern.Attribute,
        Pattern.Element, Pattern.After {

    Empty EMPTY = new Empty();
    NotAllowed NOT_ALLOWED = new NotAllowed();
    Text TEXT = new Text();

    record Empty() implements Pattern {}

    record NotAllowed() implements Pattern {}

    record Text() implements Pattern {}

    record Choice(Pattern a, Pattern b) implements Pattern {}

    record Interleave(Pattern a, Pattern b) implements Pattern {}

    record Group(Pattern a, Pattern b) implements Pattern {}

    record OneOrMore(Pattern p) implements Pattern {}

    /** Text (or an attribute value) of a datatype. */
    record Data(Datatype type) implements Pattern {}

    /** One token value; compared after whitespace collapsing, as RELAX NG's built-in {@code token} type does. */
    record Value(String value) implements Pattern {}

    record Attribute(NameClass name, Pattern content) implements Pattern {}

    /** What must follow once the current element's content {@code a} is done: {@code b}. Only built during validation. */
    record After(Pattern a, Pattern b) implements Pattern {}

    /** An element pattern; identity equality, content settable once so grammars may recurse. */
    final class Element implements Pattern {
        private final NameClass name;
        private Pattern content;

        Element(NameClass name) {
            this.name = name;
        }

        Element(NameClass name, Pattern content) {
            this.name = name;
            this.content = content;
        }

        NameClass name() { return name; }

        Pattern content() { return content; }

        void define(Pattern content) {
            if (this.content != null) throw new IllegalStateException("element content already defined");
            this.content = content;
        }

        @Override
        public String toString() { return "Element[" + name + "]"; }
    }
}
