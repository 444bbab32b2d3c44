package org.vnetlab.scenarios.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkXmlParser;
import org.vnetlab.emulator.libvirt.schema.NetworkSchemaValidator;
import org.vnetlab.emulator.libvirt.schema.SchemaViolation;
import org.vnetlab.emulator.libvirt.xml.SecureXmlReader;
import org.vnetlab.emulator.libvirt.xml.XmlAttribute;
import org.vnetlab.emulator.libvirt.xml.XmlElement;
import org.vnetlab.emulator.libvirt.xml.XmlNode;
import org.vnetlab.emulator.libvirt.xml.XmlText;

/**
 * A libvirt network's XML as libvirt keeps it: the parsed tree, printed back the way {@code virsh
 * net-dumpxml} formats it (two-space indent, single-quoted attributes, {@code connections} on the root of
 * a running network), and the definition the emulator acts on.
 */
record NetworkXml(XmlElement root, NetworkDefinition definition) {

    /** Reads XML the strict way ({@code net-define --validate}): any departure from libvirt's schema is an error. */
    static NetworkXml strict(String file, String xml) throws InputException {
        XmlElement root = SecureXmlReader.read(file, xml);
        return new NetworkXml(root, NetworkXmlParser.parse(file, xml));
    }

    /**
     * Reads XML the way {@code virsh net-define} (no {@code --validate}) and {@code virsh net-edit} do: libvirt's
     * parser reads the elements it knows where it expects them and ignores anything else, so an element in the
     * wrong place is dropped without a word. Other mistakes (bad values, missing parts) are still errors.
     *
     * @param dropped filled with the elements that were ignored, as {@code <name> at line L}
     */
    static NetworkXml lenient(String file, String xml, List<String> dropped) throws InputException {
        XmlElement root = SecureXmlReader.read(file, xml);
        for (int guard = 0; guard < 100; guard++) {
            Optional<SchemaViolation> v = NetworkSchemaValidator.firstViolation(root);
            if (v.isEmpty()) break;
            SchemaViolation s = v.get();
            if (!s.message().startsWith("element \"") || !s.message().contains("not allowed here")) break;
            Optional<XmlElement> without = remove(root, s.line(), s.column());
            if (without.isEmpty()) break;
            dropped.add(s.token() + " at line " + s.line());
            root = without.get();
        }
        // parse the user's own text when nothing was dropped, so errors point at their lines
        String text = dropped.isEmpty() ? xml : print(root, Optional.empty());
        return new NetworkXml(root, NetworkXmlParser.parse(file, text));
    }

    String name() { return definition.name(); }

    /** The XML as {@code net-dumpxml} prints it; {@code connections} only for a running network. */
    String dump(Optional<Integer> connections) { return print(root, connections); }

    private static Optional<XmlElement> remove(XmlElement e, int line, int column) {
        List<XmlNode> kept = new ArrayList<>();
        boolean changed = false;
        for (XmlNode n : e.children()) {
            if (n instanceof XmlElement c && c.line() == line && c.column() == column) {
                changed = true;
                continue;
            }
            if (n instanceof XmlElement c) {
                Optional<XmlElement> r = remove(c, line, column);
                if (r.isPresent()) {
                    kept.add(r.get());
                    changed = true;
                    continue;
                }
            }
            kept.add(n);
        }
        if (!changed) return Optional.empty();
        return Optional.of(new XmlElement(e.namespace(), e.localName(), e.qName(), e.attributes(), kept, e.line(), e.column(),
                e.endLine(), e.endColumn()));
    }

    static String print(XmlElement root, Optional<Integer> connections) {
        StringBuilder sb = new StringBuilder();
        element(sb, root, 0, connections);
        return sb.toString();
    }

    private static void element(StringBuilder sb, XmlElement e, int depth, Optional<Integer> connections) {
        sb.append("  ".repeat(depth)).append('<').append(e.qName());
        if (depth == 0) connections.ifPresent(n -> sb.append(" connections='").append(n).append('\''));
        for (XmlAttribute a : e.attributes()) {
            if (depth == 0 && a.qName().equals("connections")) continue;
            sb.append(' ').append(a.qName()).append("='").append(escape(a.value()).replace("'", "&apos;")).append('\'');
        }
        List<XmlElement> kids = e.elements();
        String text = e.children().stream().filter(n -> n instanceof XmlText).map(n -> ((XmlText) n).text())
                .reduce("", String::concat).strip();
        if (kids.isEmpty() && text.isEmpty()) {
            sb.append("/>\n");
        } else if (kids.isEmpty()) {
            sb.append('>').append(escape(text)).append("</").append(e.qName()).append(">\n");
        } else {
            sb.append(">\n");
            for (XmlElement k : kids) element(sb, k, depth + 1, Optional.empty());
            sb.append("  ".repeat(depth)).append("</").append(e.qName()).append(">\n");
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
