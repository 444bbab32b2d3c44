package org.vnetlab.emulator.libvirt.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.ArticleDocuments;
import org.vnetlab.emulator.libvirt.SharedData;
import org.vnetlab.emulator.libvirt.xml.SecureXmlReader;
import org.vnetlab.emulator.libvirt.xml.XmlAttribute;
import org.vnetlab.emulator.libvirt.xml.XmlElement;
import org.vnetlab.emulator.libvirt.xml.XmlNode;
import org.vnetlab.emulator.libvirt.xml.XmlText;

/**
 * Random structural edits of real network documents (drop, duplicate or move an element, drop an attribute,
 * set an attribute to a value of another type): our grammar and libvirt's schema under Jing must still agree
 * on the verdict and, when both reject, on the line. Seeded, so a failure replays.
 */
class SchemaMutationPropertyTest {
    private static final JingOracle JING = new JingOracle();
    private static final List<String> VALUES = List.of("yes", "no", "on", "0", "65536", "+5", " 7 ", "nat",
            "192.168.122.7", "2001:db8::1", "52:54:00:aa:bb:cc", "", "x y", "seconds", "ipv4", "tcp");
    private static final List<String> NAMES = List.of("name", "mode", "dev", "start", "end", "address", "prefix",
            "netmask", "enable", "family", "stp", "unit", "expiry", "size", "ip", "mac", "bogus");

    private static List<XmlElement> bases() {
        List<XmlElement> out = new ArrayList<>();
        try {
            for (String dir : List.of("tests/networkxml2confdata", "tests/networkxml2firewalldata")) {
                for (Path p : SharedData.list(SharedData.libvirt(dir), ".xml")) {
                    out.add(SecureXmlReader.read(p));
                }
            }
            out.add(SecureXmlReader.read("article", ArticleDocuments.dumpXml()));
            out.add(SecureXmlReader.read("article-fixed", ArticleDocuments.solution2Corrected()));
        } catch (InputException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static final List<XmlElement> BASES = bases();

    private static int invalid;
    private static int valid;

    /** The mutants must exercise both verdicts, or the property proves little. */
    @AfterContainer
    static void bothVerdictsWereExercised() {
        System.out.println("schema mutants: " + invalid + " rejected by both, " + valid + " accepted by both");
        assertThat(invalid).isGreaterThan(100);
        assertThat(valid).isGreaterThan(20);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 400, seed = "20241231")
    void jingAndOurGrammarAgreeOnMutants(@ForAll("seeds") long seed) throws InputException {
        Random random = new Random(seed);
        XmlElement base = BASES.get(random.nextInt(BASES.size()));
        XmlElement mutant = base;
        int edits = 1 + random.nextInt(2);
        for (int i = 0; i < edits; i++) mutant = mutate(mutant, random);
        String xml = serialize(mutant);
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);

        Optional<JingOracle.JingError> theirs = JING.firstError(bytes);
        Optional<SchemaViolation> ours = NetworkSchemaValidator.firstViolation(SecureXmlReader.read("mutant", bytes));
        assertThat(ours.isEmpty()).as("verdict on\n%s\nours %s\nJing %s", xml, ours, theirs).isEqualTo(theirs.isEmpty());
        if (ours.isPresent()) {
            assertThat(ours.get().line()).as("line on\n%s\nours %s\nJing %s", xml, ours, theirs).isEqualTo(theirs.get().line());
            invalid++;
        } else {
            valid++;
        }
    }

    // ---- edits over the immutable tree ----

    private static List<XmlElement> all(XmlElement root) {
        List<XmlElement> out = new ArrayList<>();
        out.add(root);
        for (XmlElement c : root.elements()) out.addAll(all(c));
        return out;
    }

    private static XmlElement mutate(XmlElement root, Random r) {
        List<XmlElement> elements = all(root);
        XmlElement target = elements.get(r.nextInt(elements.size()));
        switch (r.nextInt(6)) {
            case 0 -> { // drop an element (never the root)
                if (target == root) return root;
                return replace(root, target, null);
            }
            case 1 -> { // duplicate an element in place
                if (target == root) return root;
                return insertAfter(root, target, target);
            }
            case 2 -> { // move an element under another one
                XmlElement into = elements.get(r.nextInt(elements.size()));
                if (target == root || all(target).contains(into)) return root;
                return appendChild(replace(root, target, null), into, target);
            }
            case 3 -> { // drop an attribute
                if (target.attributes().isEmpty()) return root;
                List<XmlAttribute> attrs = new ArrayList<>(target.attributes());
                attrs.remove(r.nextInt(attrs.size()));
                return replace(root, target, withAttributes(target, attrs));
            }
            case 4 -> { // change an attribute's value
                if (target.attributes().isEmpty()) return root;
                List<XmlAttribute> attrs = new ArrayList<>(target.attributes());
                int i = r.nextInt(attrs.size());
                XmlAttribute a = attrs.get(i);
                attrs.set(i, new XmlAttribute(a.namespace(), a.localName(), a.qName(), VALUES.get(r.nextInt(VALUES.size()))));
                return replace(root, target, withAttributes(target, attrs));
            }
            default -> { // add an attribute
                String name = NAMES.get(r.nextInt(NAMES.size()));
                if (target.attribute(name).isPresent()) return root;
                List<XmlAttribute> attrs = new ArrayList<>(target.attributes());
                attrs.add(new XmlAttribute("", name, name, VALUES.get(r.nextInt(VALUES.size()))));
                return replace(root, target, withAttributes(target, attrs));
            }
        }
    }

    private static XmlElement withAttributes(XmlElement e, List<XmlAttribute> attrs) {
        return new XmlElement(e.namespace(), e.localName(), e.qName(), attrs, e.children(), 0, 0, 0, 0);
    }

    private static XmlElement withChildren(XmlElement e, List<XmlNode> children) {
        return new XmlElement(e.namespace(), e.localName(), e.qName(), e.attributes(), children, 0, 0, 0, 0);
    }

    /** A copy of the tree with {@code target} replaced by {@code with} (removed when null). */
    private static XmlElement replace(XmlElement node, XmlElement target, XmlElement with) {
        if (node == target) return with;
        List<XmlNode> children = new ArrayList<>();
        boolean changed = false;
        for (XmlNode c : node.children()) {
            if (c instanceof XmlElement e) {
                XmlElement n = replace(e, target, with);
                if (n != e) changed = true;
                if (n != null) children.add(n);
            } else {
                children.add(c);
            }
        }
        return changed ? withChildren(node, children) : node;
    }

    private static XmlElement insertAfter(XmlElement node, XmlElement target, XmlElement extra) {
        List<XmlNode> children = new ArrayList<>();
        boolean changed = false;
        for (XmlNode c : node.children()) {
            if (c instanceof XmlElement e) {
                XmlElement n = insertAfter(e, target, extra);
                if (n != e) changed = true;
                children.add(n);
                if (e == target) {
                    children.add(extra);
                    changed = true;
                }
            } else {
                children.add(c);
            }
        }
        return changed ? withChildren(node, children) : node;
    }

    private static XmlElement appendChild(XmlElement node, XmlElement parent, XmlElement child) {
        if (node == parent) {
            List<XmlNode> children = new ArrayList<>(node.children());
            children.add(child);
            return withChildren(node, children);
        }
        List<XmlNode> children = new ArrayList<>();
        boolean changed = false;
        for (XmlNode c : node.children()) {
            if (c instanceof XmlElement e) {
                XmlElement n = appendChild(e, parent, child);
                if (n != e) changed = true;
                children.add(n);
            } else {
                children.add(c);
            }
        }
        return changed ? withChildren(node, children) : node;
    }

    // ---- back to text, one element per line so every mutant has well-defined lines ----

    private static String serialize(XmlElement root) {
        StringBuilder sb = new StringBuilder();
        write(sb, root, 0, true);
        return sb.toString();
    }

    private static void write(StringBuilder sb, XmlElement e, int depth, boolean root) {
        sb.append("  ".repeat(depth)).append('<').append(e.qName());
        if (root || !e.namespace().isEmpty()) {
            declareNamespace(sb, e);
        }
        for (XmlAttribute a : e.attributes()) sb.append(' ').append(a.qName()).append("='").append(escape(a.value())).append('\'');
        List<XmlElement> kids = e.elements();
        String text = e.text();
        if (kids.isEmpty()) {
            if (text.isEmpty()) {
                sb.append("/>\n");
            } else {
                sb.append('>').append(escape(text)).append("</").append(e.qName()).append(">\n");
            }
            return;
        }
        sb.append(">\n");
        for (XmlNode c : e.children()) {
            if (c instanceof XmlElement k) write(sb, k, depth + 1, false);
            else if (c instanceof XmlText t && !t.isWhitespace()) sb.append(escape(t.text().strip())).append('\n');
        }
        sb.append("  ".repeat(depth)).append("</").append(e.qName()).append(">\n");
    }

    private static void declareNamespace(StringBuilder sb, XmlElement e) {
        int colon = e.qName().indexOf(':');
        if (colon > 0 && !e.namespace().isEmpty()) {
            sb.append(" xmlns:").append(e.qName(), 0, colon).append("='").append(e.namespace()).append('\'');
        }
        if (e.namespace().equals("") && e.qName().equals("network")) {
            sb.append(" xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'");
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;");
    }
}
