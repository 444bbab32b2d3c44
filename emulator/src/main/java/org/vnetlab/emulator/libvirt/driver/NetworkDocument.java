package org.vnetlab.emulator.libvirt.driver;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkXmlParser;
import org.vnetlab.emulator.libvirt.schema.NetworkSchemaValidator;
import org.vnetlab.emulator.libvirt.schema.SchemaViolation;
import org.vnetlab.emulator.libvirt.xml.SecureXmlReader;
import org.vnetlab.emulator.libvirt.xml.XmlElement;

/**
 * A network definition as the daemon stores it: the parsed model, the document it came from (pruned to what
 * libvirt reads; the formatter takes a few presentation details from it), and what libvirt silently ignored.
 */
record NetworkDocument(NetworkDefinition def, XmlElement source, List<String> ignored) {

    /** Where libvirt's schemas are installed: the path its schema errors name. */
    static final String SCHEMA = "/usr/share/libvirt/schemas/network.rng";

    NetworkDocument withDefinition(NetworkDefinition d) { return new NetworkDocument(d, source, ignored); }

    /**
     * {@code virNetworkDefParse}: well-formedness, the schema when {@code validate} ({@code --validate}),
     * then libvirt's own checks on what its parser reads. A missing {@code <uuid>} is generated here, as libvirt
     * does while parsing.
     */
    static NetworkDocument read(String xml, boolean validate, Supplier<String> uuids) throws LibvirtError {
        XmlElement root;
        try {
            root = SecureXmlReader.read("(network_definition)", xml);
        } catch (InputException e) {
            // libxml2's own wording differs; the position is the one our reader found
            throw new LibvirtError(LibvirtError.Code.XML_DETAIL,
                    "(network_definition):" + e.line() + ": " + e.problem(), Optional.of(e));
        }
        if (!root.localName().equals("network") || !root.namespace().isEmpty()) {
            throw new LibvirtError(LibvirtError.Code.XML_ERROR,
                    "expecting root element of 'network', not '" + root.localName() + "'");
        }
        if (validate) {
            Optional<SchemaViolation> v = NetworkSchemaValidator.firstViolation(root);
            if (v.isPresent()) {
                InputException precise = new InputException("(network_definition)", v.get().line(), v.get().column(),
                        v.get().token(), v.get().message());
                throw new LibvirtError(LibvirtError.Code.XML_INVALID_SCHEMA,
                        "Unable to validate doc against " + SCHEMA + "\n" + libxml2Text(root, v.get()), Optional.of(precise));
            }
        }
        LenientNetworkXml.Pruned pruned = LenientNetworkXml.prune(root);
        NetworkDefinition def;
        try {
            def = NetworkXmlParser.parse("(network_definition)", pruned.root());
        } catch (InputException e) {
            // virSocketAddrGetRange reports its range checks as internal errors; the rest are XML errors
            String p = e.problem();
            boolean range = p.startsWith("range ") || p.startsWith("start of range ") || p.startsWith("end of range ");
            throw new LibvirtError(range ? LibvirtError.Code.INTERNAL_ERROR : LibvirtError.Code.XML_ERROR, p, Optional.of(e));
        }
        if (def.uuid().isEmpty()) def = Definitions.withUuid(def, uuids.get());
        return new NetworkDocument(def, pruned.root(), pruned.ignored());
    }

    /**
     * What libxml2's RELAX NG validator reports for the first violation. The network's content is one
     * {@code <interleave>}: a child that does not validate (whatever is wrong deep inside it) is reported as
     * an extra element of that interleave, named by the child of {@code <network>} that holds the problem,
     * followed by the failure of {@code <network>} itself. Only that form is known from real output; other
     * kinds of violation are given libxml2's closest message.
     */
    static String libxml2Text(XmlElement root, SchemaViolation v) {
        for (XmlElement child : root.elements()) {
            if (contains(child, v.line(), v.column())) {
                return "Extra element " + child.localName() + " in interleave\nElement network failed to validate content\n";
            }
        }
        if (v.token() != null && v.token().contains("=") && v.line() == root.line()) {
            return "Invalid attribute " + v.token().substring(0, v.token().indexOf('=')) + " for element network\n";
        }
        return "Element network failed to validate content\n";
    }

    private static boolean contains(XmlElement e, int line, int column) {
        boolean afterStart = line > e.line() || (line == e.line() && column >= e.column());
        boolean beforeEnd = line < e.endLine() || (line == e.endLine() && column <= e.endColumn());
        return afterStart && beforeEnd;
    }
}
