package org.vnetlab.emulator.libvirt.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An element of a parsed document, immutable. {@code line}/{@code column} locate the end of the start tag and
 * {@code endLine}/{@code endColumn} the end of the end tag, as a SAX locator reports them (and as Jing reports
 * schema errors), so messages can point at the user's text.
 */
public record XmlElement(String namespace, String localName, String qName, List<XmlAttribute> attributes,
        List<XmlNode> children, int line, int column, int endLine, int endColumn) implements XmlNode {

    public XmlElement {
        attributes = List.copyOf(attributes);
        children = List.copyOf(children);
    }

    /** The value of an unprefixed attribute. */
    public Optional<String> attribute(String name) {
        for (XmlAttribute a : attributes) {
            if (a.namespace().isEmpty() && a.localName().equals(name)) return Optional.of(a.value());
        }
        return Optional.empty();
    }

    public Optional<XmlAttribute> attributeNode(String name) {
        for (XmlAttribute a : attributes) {
            if (a.namespace().isEmpty() && a.localName().equals(name)) return Optional.of(a);
        }
        return Optional.empty();
    }

    /** Child elements, in document order. */
    public List<XmlElement> elements() {
        List<XmlElement> out = new ArrayList<>();
        for (XmlNode n : children) {
            if (n instanceof XmlElement e) out.add(e);
        }
        return out;
    }

    /** Child elements in no namespace with this local name. */
    public List<XmlElement> elements(String name) {
        return elements("", name);
    }

    public List<XmlElement> elements(String ns, String name) {
        List<XmlElement> out = new ArrayList<>();
        for (XmlNode n : children) {
            if (n instanceof XmlElement e && e.namespace.equals(ns) && e.localName.equals(name)) out.add(e);
        }
        return out;
    }

    public Optional<XmlElement> element(String name) {
        List<XmlElement> all = elements(name);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** All character data directly inside this element, concatenated. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (XmlNode n : children) {
            if (n instanceof XmlText t) sb.append(t.text());
        }
        return sb.toString();
    }

    /** The start tag as it appears in messages: {@code <dns>}. */
    public String tag() { return "<" + qName + ">"; }
}
