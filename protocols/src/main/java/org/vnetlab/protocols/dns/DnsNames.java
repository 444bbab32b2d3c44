package org.vnetlab.protocols.dns;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Domain names as text: absolute, in dnsjava's presentation form (escapes, case kept), e.g. "google.com.". */
final class DnsNames {
    private DnsNames() {}

    static Name toName(String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("empty domain name");
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: '" + text + "': " + e.getMessage(), e);
        }
    }

    static String normalize(String text) {
        return toName(text).toString();
    }
}
