package org.vnetlab.emulator.libvirt.schema;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.vnetlab.emulator.libvirt.schema.Pattern.After;
import org.vnetlab.emulator.libvirt.schema.Pattern.Attribute;
import org.vnetlab.emulator.libvirt.schema.Pattern.Choice;
import org.vnetlab.emulator.libvirt.schema.Pattern.Data;
import org.vnetlab.emulator.libvirt.schema.Pattern.Element;
import org.vnetlab.emulator.libvirt.schema.Pattern.Empty;
import org.vnetlab.emulator.libvirt.schema.Pattern.Group;
import org.vnetlab.emulator.libvirt.schema.Pattern.Interleave;
import org.vnetlab.emulator.libvirt.schema.Pattern.NotAllowed;
import org.vnetlab.emulator.libvirt.schema.Pattern.OneOrMore;
import org.vnetlab.emulator.libvirt.schema.Pattern.Text;
import org.vnetlab.emulator.libvirt.schema.Pattern.Value;

/**
 * Derivatives of patterns with respect to parse events (start tag, attribute, end of attributes, text, end
 * tag), after James Clark's algorithm: what is left to match once an event has been consumed. A derivative of
 * {@link NotAllowed} means the event is invalid at that point. The second half answers the questions error
 * messages need: which elements, attributes and text could have come instead.
 */
final class Derivatives {
    private Derivatives() {}

    // ---- smart constructors: keep NotAllowed and Empty from piling up ----

    static Pattern choice(Pattern a, Pattern b) {
        if (a instanceof NotAllowed) return b;
        if (b instanceof NotAllowed) return a;
        if (a.equals(b)) return a;
        return new Choice(a, b);
    }

    static Pattern group(Pattern a, Pattern b) {
        if (a instanceof NotAllowed || b instanceof NotAllowed) return Pattern.NOT_ALLOWED;
        if (a instanceof Empty) return b;
        if (b instanceof Empty) return a;
        return new Group(a, b);
    }

    static Pattern interleave(Pattern a, Pattern b) {
        if (a instanceof NotAllowed || b instanceof NotAllowed) return Pattern.NOT_ALLOWED;
        if (a instanceof Empty) return b;
        if (b instanceof Empty) return a;
        return new Interleave(a, b);
    }

    static Pattern after(Pattern a, Pattern b) {
        if (a instanceof NotAllowed || b instanceof NotAllowed) return Pattern.NOT_ALLOWED;
        return new After(a, b);
    }

    static Pattern oneOrMore(Pattern p) {
        if (p instanceof NotAllowed) return Pattern.NOT_ALLOWED;
        return new OneOrMore(p);
    }

    // ---- the derivatives ----

    static boolean nullable(Pattern p) {
        if (p instanceof Empty || p instanceof Text) return true;
        if (p instanceof Choice c) return nullable(c.a()) || nullable(c.b());
        if (p instanceof Group g) return nullable(g.a()) && nullable(g.b());
        if (p instanceof Interleave i) return nullable(i.a()) && nullable(i.b());
        if (p instanceof OneOrMore o) return nullable(o.p());
        return false; // NotAllowed, Data, Value, Attribute, Element, After
    }

    static Pattern textDeriv(Pattern p, String s) {
        if (p instanceof Choice c) return choice(textDeriv(c.a(), s), textDeriv(c.b(), s));
        if (p instanceof Interleave i) {
            return choice(interleave(textDeriv(i.a(), s), i.b()), interleave(i.a(), textDeriv(i.b(), s)));
        }
        if (p instanceof Group g) {
            Pattern first = group(textDeriv(g.a(), s), g.b());
            return nullable(g.a()) ? choice(first, textDeriv(g.b(), s)) : first;
        }
        if (p instanceof After a) return after(textDeriv(a.a(), s), a.b());
        if (p instanceof OneOrMore o) return group(textDeriv(o.p(), s), choice(o, Pattern.EMPTY));
        if (p instanceof Text) return p;
        if (p instanceof Value v) return Datatypes.collapse(s).equals(v.value()) ? Pattern.EMPTY : Pattern.NOT_ALLOWED;
        if (p instanceof Data d) return d.type().allows(s) ? Pattern.EMPTY : Pattern.NOT_ALLOWED;
        return Pattern.NOT_ALLOWED;
    }

    static Pattern startTagOpenDeriv(Pattern p, String ns, String local) {
        if (p instanceof Choice c) return choice(startTagOpenDeriv(c.a(), ns, local), startTagOpenDeriv(c.b(), ns, local));
        if (p instanceof Element e) {
            return e.name().contains(ns, local) ? after(e.content(), Pattern.EMPTY) : Pattern.NOT_ALLOWED;
        }
        if (p instanceof Interleave i) {
            return choice(applyAfter(x -> interleave(x, i.b()), startTagOpenDeriv(i.a(), ns, local)),
                    applyAfter(x -> interleave(i.a(), x), startTagOpenDeriv(i.b(), ns, local)));
        }
        if (p instanceof OneOrMore o) {
            return applyAfter(x -> group(x, choice(o, Pattern.EMPTY)), startTagOpenDeriv(o.p(), ns, local));
        }
        if (p instanceof Group g) {
            Pattern first = applyAfter(x -> group(x, g.b()), startTagOpenDeriv(g.a(), ns, local));
            return nullable(g.a()) ? choice(first, startTagOpenDeriv(g.b(), ns, local)) : first;
        }
        if (p instanceof After a) return applyAfter(x -> after(x, a.b()), startTagOpenDeriv(a.a(), ns, local));
        return Pattern.NOT_ALLOWED;
    }

    private static Pattern applyAfter(UnaryOperator<Pattern> f, Pattern p) {
        if (p instanceof After a) return after(a.a(), f.apply(a.b()));
        if (p instanceof Choice c) return choice(applyAfter(f, c.a()), applyAfter(f, c.b()));
        return Pattern.NOT_ALLOWED;
    }

    static Pattern attDeriv(Pattern p, String ns, String local, String value) {
        if (p instanceof After a) return after(attDeriv(a.a(), ns, local, value), a.b());
        if (p instanceof Choice c) return choice(attDeriv(c.a(), ns, local, value), attDeriv(c.b(), ns, local, value));
        if (p instanceof Group g) {
            return choice(group(attDeriv(g.a(), ns, local, value), g.b()), group(g.a(), attDeriv(g.b(), ns, local, value)));
        }
        if (p instanceof Interleave i) {
            return choice(interleave(attDeriv(i.a(), ns, local, value), i.b()),
                    interleave(i.a(), attDeriv(i.b(), ns, local, value)));
        }
        if (p instanceof OneOrMore o) return group(attDeriv(o.p(), ns, local, value), choice(o, Pattern.EMPTY));
        if (p instanceof Attribute a) {
            return a.name().contains(ns, local) && valueMatch(a.content(), value) ? Pattern.EMPTY : Pattern.NOT_ALLOWED;
        }
        return Pattern.NOT_ALLOWED;
    }

    static boolean valueMatch(Pattern p, String s) {
        return (nullable(p) && isWhitespace(s)) || nullable(textDeriv(p, s));
    }

    static Pattern startTagCloseDeriv(Pattern p) {
        if (p instanceof After a) return after(startTagCloseDeriv(a.a()), a.b());
        if (p instanceof Choice c) return choice(startTagCloseDeriv(c.a()), startTagCloseDeriv(c.b()));
        if (p instanceof Group g) return group(startTagCloseDeriv(g.a()), startTagCloseDeriv(g.b()));
        if (p instanceof Interleave i) return interleave(startTagCloseDeriv(i.a()), startTagCloseDeriv(i.b()));
        if (p instanceof OneOrMore o) return oneOrMore(startTagCloseDeriv(o.p()));
        if (p instanceof Attribute) return Pattern.NOT_ALLOWED;
        return p;
    }

    static Pattern endTagDeriv(Pattern p) {
        if (p instanceof Choice c) return choice(endTagDeriv(c.a()), endTagDeriv(c.b()));
        if (p instanceof After a) return nullable(a.a()) ? a.b() : Pattern.NOT_ALLOWED;
        return Pattern.NOT_ALLOWED;
    }

    static boolean isWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
        }
        return true;
    }

    // ---- what could have come instead, for messages ----

    /** Names of the elements that may start here. */
    static void expectedElements(Pattern p, Set<NameClass> out) {
        if (p instanceof Choice c) {
            expectedElements(c.a(), out);
            expectedElements(c.b(), out);
        } else if (p instanceof Interleave i) {
            expectedElements(i.a(), out);
            expectedElements(i.b(), out);
        } else if (p instanceof Group g) {
            expectedElements(g.a(), out);
            if (nullable(g.a())) expectedElements(g.b(), out);
        } else if (p instanceof OneOrMore o) {
            expectedElements(o.p(), out);
        } else if (p instanceof After a) {
            expectedElements(a.a(), out);
        } else if (p instanceof Element e) {
            out.add(e.name());
        }
    }

    /** Whether character data may come here. */
    static boolean textAllowed(Pattern p) {
        if (p instanceof Choice c) return textAllowed(c.a()) || textAllowed(c.b());
        if (p instanceof Interleave i) return textAllowed(i.a()) || textAllowed(i.b());
        if (p instanceof Group g) return textAllowed(g.a()) || (nullable(g.a()) && textAllowed(g.b()));
        if (p instanceof OneOrMore o) return textAllowed(o.p());
        if (p instanceof After a) return textAllowed(a.a());
        return p instanceof Text || p instanceof Data || p instanceof Value;
    }

    /** Whether the content is a datatype or value (so bad text is "invalid content", not "text not allowed"). */
    static boolean dataContent(Pattern p) {
        if (p instanceof Choice c) return dataContent(c.a()) || dataContent(c.b());
        if (p instanceof After a) return dataContent(a.a());
        if (p instanceof Group g) return dataContent(g.a()) || dataContent(g.b());
        if (p instanceof Interleave i) return dataContent(i.a()) || dataContent(i.b());
        return p instanceof Data || p instanceof Value;
    }

    /** Names of the attributes still possible on the current start tag. */
    static void attributeNames(Pattern p, Set<NameClass> out) {
        if (p instanceof After a) {
            attributeNames(a.a(), out);
        } else if (p instanceof Choice c) {
            attributeNames(c.a(), out);
            attributeNames(c.b(), out);
        } else if (p instanceof Group g) {
            attributeNames(g.a(), out);
            attributeNames(g.b(), out);
        } else if (p instanceof Interleave i) {
            attributeNames(i.a(), out);
            attributeNames(i.b(), out);
        } else if (p instanceof OneOrMore o) {
            attributeNames(o.p(), out);
        } else if (p instanceof Attribute a) {
            out.add(a.name());
        }
    }

    /** Value patterns of the still-possible attributes with this name. */
    static void attributeContents(Pattern p, String ns, String local, Set<Pattern> out) {
        if (p instanceof After a) {
            attributeContents(a.a(), ns, local, out);
        } else if (p instanceof Choice c) {
            attributeContents(c.a(), ns, local, out);
            attributeContents(c.b(), ns, local, out);
        } else if (p instanceof Group g) {
            attributeContents(g.a(), ns, local, out);
            attributeContents(g.b(), ns, local, out);
        } else if (p instanceof Interleave i) {
            attributeContents(i.a(), ns, local, out);
            attributeContents(i.b(), ns, local, out);
        } else if (p instanceof OneOrMore o) {
            attributeContents(o.p(), ns, local, out);
        } else if (p instanceof Attribute a && a.name().contains(ns, local)) {
            out.add(a.content());
        }
    }

    /** Attribute names every remaining alternative needs. */
    static Set<NameClass> requiredAttributes(Pattern p) {
        if (p instanceof After a) return requiredAttributes(a.a());
        if (p instanceof Choice c) return intersect(requiredAttributes(c.a()), requiredAttributes(c.b()));
        if (p instanceof Group g) return union(requiredAttributes(g.a()), requiredAttributes(g.b()));
        if (p instanceof Interleave i) return union(requiredAttributes(i.a()), requiredAttributes(i.b()));
        if (p instanceof OneOrMore o) return requiredAttributes(o.p());
        if (p instanceof Attribute a && a.name() instanceof NameClass.Name) return Set.of(a.name());
        return Set.of();
    }

    /** Element names every remaining alternative still needs. */
    static Set<NameClass> requiredElements(Pattern p) {
        if (p instanceof After a) return requiredElements(a.a());
        if (p instanceof Choice c) return intersect(requiredElements(c.a()), requiredElements(c.b()));
        if (p instanceof Group g) return union(requiredElements(g.a()), requiredElements(g.b()));
        if (p instanceof Interleave i) return union(requiredElements(i.a()), requiredElements(i.b()));
        if (p instanceof OneOrMore o) return requiredElements(o.p());
        if (p instanceof Element e && e.name() instanceof NameClass.Name) return Set.of(e.name());
        return Set.of();
    }

    private static Set<NameClass> union(Set<NameClass> a, Set<NameClass> b) {
        Set<NameClass> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return out;
    }

    private static Set<NameClass> intersect(Set<NameClass> a, Set<NameClass> b) {
        Set<NameClass> out = new HashSet<>(a);
        out.retainAll(b);
        return out;
    }
}
