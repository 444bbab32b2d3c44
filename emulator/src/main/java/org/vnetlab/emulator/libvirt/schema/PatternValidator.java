package org.vnetlab.emulator.libvirt.schema;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.vnetlab.emulator.libvirt.schema.Pattern.Choice;
import org.vnetlab.emulator.libvirt.schema.Pattern.Data;
import org.vnetlab.emulator.libvirt.schema.Pattern.NotAllowed;
import org.vnetlab.emulator.libvirt.schema.Pattern.Text;
import org.vnetlab.emulator.libvirt.schema.Pattern.Value;
import org.vnetlab.emulator.libvirt.xml.XmlAttribute;
import org.vnetlab.emulator.libvirt.xml.XmlElement;
import org.vnetlab.emulator.libvirt.xml.XmlNode;
import org.vnetlab.emulator.libvirt.xml.XmlText;

/** Runs a grammar over a parsed document, event by event in document order, and stops at the first violation. */
final class PatternValidator {
    private final Map<String, String> prefixes;

    /** {@code prefixes}: how to print names in other namespaces ({@code dnsmasq:options}). */
    PatternValidator(Map<String, String> prefixes) {
        this.prefixes = Map.copyOf(prefixes);
    }

    Optional<SchemaViolation> validate(Pattern start, XmlElement root) {
        try {
            Pattern rest = element(start, root);
            if (!Derivatives.nullable(rest)) {
                return Optional.of(new SchemaViolation(root.endLine(), root.endColumn(), root.tag(), "document incomplete"));
            }
            return Optional.empty();
        } catch (Stop stop) {
            return Optional.of(stop.violation);
        }
    }

    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SchemaViolation violation;

        Stop(SchemaViolation violation) {
            super(violation.message(), null, false, false);
            this.violation = violation;
        }
    }

    private Pattern element(Pattern p, XmlElement e) {
        Pattern opened = Derivatives.startTagOpenDeriv(p, e.namespace(), e.localName());
        if (opened instanceof NotAllowed) {
            throw stop(e.line(), e.column(), e.tag(),
                    "element \"" + e.qName() + "\" not allowed here; expected " + expectation(p));
        }
        for (XmlAttribute a : e.attributes()) {
            Pattern next = Derivatives.attDeriv(opened, a.namespace(), a.localName(), a.value());
            if (next instanceof NotAllowed) throw stop(e.line(), e.column(), a.asWritten(), attributeProblem(opened, a));
            opened = next;
        }
        Pattern content = Derivatives.startTagCloseDeriv(opened);
        if (content instanceof NotAllowed) throw stop(e.line(), e.column(), e.tag(), missingAttributes(e, opened));

        boolean hasElements = e.children().stream().anyMatch(n -> n instanceof XmlElement);
        if (!hasElements) {
            // a leaf: its whole text is one value (empty text included), as RELAX NG treats it
            String text = e.text();
            Pattern afterText = Derivatives.textDeriv(content, text);
            if (Derivatives.isWhitespace(text)) afterText = Derivatives.choice(content, afterText);
            if (afterText instanceof NotAllowed || Derivatives.endTagDeriv(afterText) instanceof NotAllowed) {
                if (Derivatives.dataContent(content)) {
                    throw stop(e.endLine(), e.endColumn(), text,
                            "character content of element \"" + e.qName() + "\" invalid; must be " + describe(valuePatterns(content)));
                }
                if (afterText instanceof NotAllowed) {
                    XmlText t = lastText(e);
                    throw stop(t.line(), t.column(), text.strip(), "text not allowed here; expected " + expectation(content));
                }
                throw stop(e.endLine(), e.endColumn(), "</" + e.qName() + ">", incomplete(e, content));
            }
            return Derivatives.endTagDeriv(afterText);
        }
        Pattern p2 = content;
        for (XmlNode n : e.children()) {
            if (n instanceof XmlText t) {
                if (t.isWhitespace()) continue;
                Pattern next = Derivatives.textDeriv(p2, t.text());
                if (next instanceof NotAllowed) {
                    throw stop(t.line(), t.column(), t.text().strip(), "text not allowed here; expected " + expectation(p2));
                }
                p2 = next;
            } else if (n instanceof XmlElement child) {
                p2 = element(p2, child);
            }
        }
        Pattern closed = Derivatives.endTagDeriv(p2);
        if (closed instanceof NotAllowed) throw stop(e.endLine(), e.endColumn(), "</" + e.qName() + ">", incomplete(e, p2));
        return closed;
    }

    private static XmlText lastText(XmlElement e) {
        XmlText last = null;
        for (XmlNode n : e.children()) {
            if (n instanceof XmlText t) last = t;
        }
        return last != null ? last : new XmlText("", e.endLine(), e.endColumn());
    }

    private static Stop stop(int line, int column, String token, String message) {
        return new Stop(new SchemaViolation(line, column, token, message));
    }

    /** "the element end-tag, text or element "a", "b" or "c"". */
    private String expectation(Pattern p) {
        List<String> parts = new ArrayList<>();
        if (!(Derivatives.endTagDeriv(p) instanceof NotAllowed)) parts.add("the element end-tag");
        if (Derivatives.textAllowed(p)) parts.add("text");
        Set<NameClass> names = new LinkedHashSet<>();
        Derivatives.expectedElements(p, names);
        if (!names.isEmpty()) parts.add("element " + names(names));
        if (parts.isEmpty()) return "nothing more";
        return joinOr(parts);
    }

    private String attributeProblem(Pattern p, XmlAttribute a) {
        Set<NameClass> names = new LinkedHashSet<>();
        Derivatives.attributeNames(p, names);
        boolean known = names.stream().anyMatch(n -> n.contains(a.namespace(), a.localName()));
        if (!known) {
            String expected = names.isEmpty() ? "no attributes are allowed on this element"
                    : "expected attribute " + names(names);
            return "attribute \"" + a.qName() + "\" not allowed here; " + expected;
        }
        Set<Pattern> contents = new LinkedHashSet<>();
        Derivatives.attributeContents(p, a.namespace(), a.localName(), contents);
        return "value of attribute \"" + a.qName() + "\" is invalid; must be " + describe(contents);
    }

    private String missingAttributes(XmlElement e, Pattern p) {
        Set<NameClass> required = Derivatives.requiredAttributes(p);
        if (required.size() == 1) {
            return "element \"" + e.qName() + "\" missing required attribute " + names(required);
        }
        if (required.size() > 1) {
            return "element \"" + e.qName() + "\" missing required attributes " + namesAnd(required);
        }
        Set<NameClass> possible = new LinkedHashSet<>();
        Derivatives.attributeNames(p, possible);
        return "element \"" + e.qName() + "\" missing one or more required attributes; expected attribute " + names(possible);
    }

    private String incomplete(XmlElement e, Pattern p) {
        Set<NameClass> required = Derivatives.requiredElements(p);
        if (required.size() == 1) {
            return "element \"" + e.qName() + "\" incomplete; missing required element " + names(required);
        }
        if (required.size() > 1) {
            return "element \"" + e.qName() + "\" incomplete; missing required elements " + namesAnd(required);
        }
        return "element \"" + e.qName() + "\" incomplete; expected " + expectation(p);
    }

    private static Set<Pattern> valuePatterns(Pattern p) {
        Set<Pattern> out = new LinkedHashSet<>();
        collectValues(p, out);
        return out;
    }

    private static void collectValues(Pattern p, Set<Pattern> out) {
        if (p instanceof Choice c) {
            collectValues(c.a(), out);
            collectValues(c.b(), out);
        } else if (p instanceof Pattern.After a) {
            collectValues(a.a(), out);
        } else if (p instanceof Data || p instanceof Value) {
            out.add(p);
        }
    }

    /** "equal to "off" or "on"" / "an IPv4 address" / both joined by "or". */
    private static String describe(Set<Pattern> contents) {
        Set<String> values = new TreeSet<>();
        List<String> others = new ArrayList<>();
        for (Pattern c : contents) describeInto(c, values, others);
        List<String> parts = new ArrayList<>();
        if (!values.isEmpty()) {
            List<String> quoted = new ArrayList<>();
            for (String v : values) quoted.add("\"" + v + "\"");
            parts.add("equal to " + joinOr(quoted));
        }
        parts.addAll(others);
        return parts.isEmpty() ? "something else" : joinOr(parts);
    }

    private static void describeInto(Pattern p, Set<String> values, List<String> others) {
        if (p instanceof Choice c) {
            describeInto(c.a(), values, others);
            describeInto(c.b(), values, others);
        } else if (p instanceof Value v) {
            values.add(v.value());
        } else if (p instanceof Data d) {
            if (!others.contains(d.type().description())) others.add(d.type().description());
        } else if (p instanceof Text) {
            others.add("text");
        }
    }

    private String display(NameClass n) {
        if (n instanceof NameClass.Name name) {
            if (name.namespace().isEmpty()) return "\"" + name.localName() + "\"";
            String prefix = prefixes.getOrDefault(name.namespace(), "{" + name.namespace() + "}");
            return "\"" + prefix + ":" + name.localName() + "\"";
        }
        return "of any name";
    }

    /** "a", "b" or "c", sorted as Jing sorts them. */
    private String names(Set<NameClass> names) {
        List<String> shown = new ArrayList<>(new TreeSet<>(names.stream().map(this::display).toList()));
        return joinOr(shown);
    }

    private String namesAnd(Set<NameClass> names) {
        List<String> shown = new ArrayList<>(new TreeSet<>(names.stream().map(this::display).toList()));
        return join(shown, " and ");
    }

    private static String joinOr(List<String> parts) {
        return join(parts, " or ");
    }

    private static String join(List<String> parts, String last) {
        if (parts.size() == 1) return parts.get(0);
        return String.join(", ", parts.subList(0, parts.size() - 1)) + last + parts.get(parts.size() - 1);
    }
}
