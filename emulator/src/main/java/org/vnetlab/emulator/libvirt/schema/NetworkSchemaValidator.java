package org.vnetlab.emulator.libvirt.schema;

import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.xml.XmlElement;

/**
 * Checks a network XML document against libvirt's network grammar (what {@code virsh net-define} validates
 * with {@code --validate}, and what libvirt's RELAX NG schema says), reporting the first violation the way
 * Jing does: the element, attribute or text at fault, and what was expected there.
 */
public final class NetworkSchemaValidator {
    private static final Pattern START = NetworkSchema.network();
    private static final PatternValidator VALIDATOR =
            new PatternValidator(Map.of(NetworkSchema.DNSMASQ_NS, "dnsmasq"));

    private NetworkSchemaValidator() {}

    /** The first place the document breaks the grammar, if any. */
    public static Optional<SchemaViolation> firstViolation(XmlElement root) {
        return VALIDATOR.validate(START, root);
    }

    /** Throws the first violation as an {@link InputException} naming {@code file}. */
    public static void validate(String file, XmlElement root) throws InputException {
        Optional<SchemaViolation> v = firstViolation(root);
        if (v.isPresent()) {
            SchemaViolation s = v.get();
            throw new InputException(file, s.line(), s.column(), s.token(), s.message(), hint(s));
        }
    }

    private static String hint(SchemaViolation v) {
        if (v.message().startsWith("element \"dns\" not allowed here")) {
            return "<dns> belongs directly under <network>, not inside <ip>";
        }
        return null;
    }
}
