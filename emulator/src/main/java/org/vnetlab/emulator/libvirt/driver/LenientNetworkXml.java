package org.vnetlab.emulator.libvirt.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vnetlab.emulator.libvirt.xml.XmlAttribute;
import org.vnetlab.emulator.libvirt.xml.XmlElement;
import org.vnetlab.emulator.libvirt.xml.XmlNode;

/**
 * What libvirt's network parser reads when the schema is not checked ({@code net-define} without
 * {@code --validate}, and always for {@code net-edit}, which defines without validation): it looks up the
 * elements and attributes it knows by XPath and never sees the rest, so anything else in the document is
 * silently dropped. A {@code <dns>} written inside {@code <ip>}, as the article does, is such an element: the
 * definition is accepted and the forwarders are lost.
 *
 * <p>The table below lists, per element, the attributes and children {@code virNetworkDefParseXML} and its
 * helpers read. Elements libvirt keeps whole ({@code metadata}, {@code bandwidth}, {@code vlan},
 * {@code virtualport}, {@code portgroup}) are kept whole.
 */
final class LenientNetworkXml {
    static final String DNSMASQ_NS = "http://libvirt.org/schemas/network/dnsmasq/1.0";

    /** What was dropped, as {@code /network/ip/dns} or {@code /network/bridge/@foo}. */
    record Pruned(XmlElement root, List<String> ignored) {}

    private record Spec(Set<String> attributes, Map<String, String> children) {}

    private static final String OPAQUE = "*";

    /** element key -> readable attributes and child element name -> child key. */
    private static final Map<String, Spec> SPECS = Map.ofEntries(
            Map.entry("network", new Spec(Set.of("connections", "ipv6", "trustGuestRxFilters"), Map.ofEntries(
                    Map.entry("name", "text"), Map.entry("uuid", "text"), Map.entry("title", OPAQUE),
                    Map.entry("description", OPAQUE), Map.entry("metadata", OPAQUE), Map.entry("forward", "forward"),
                    Map.entry("bridge", "bridge"), Map.entry("mac", "mac"), Map.entry("mtu", "mtu"),
                    Map.entry("domain", "domain"), Map.entry("dns", "dns"), Map.entry("ip", "ip"),
                    Map.entry("route", "route"), Map.entry("port", "port"), Map.entry("portgroup", OPAQUE),
                    Map.entry("bandwidth", OPAQUE), Map.entry("vlan", OPAQUE), Map.entry("virtualport", OPAQUE)))),
            Map.entry("text", new Spec(Set.of(), Map.of())),
            Map.entry("forward", new Spec(Set.of("mode", "dev", "managed"), Map.of("nat", "nat",
                    "interface", "forwardInterface", "pf", "pf", "address", OPAQUE, "driver", "driver"))),
            Map.entry("nat", new Spec(Set.of("ipv6"), Map.of("address", "range", "port", "range"))),
            Map.entry("range", new Spec(Set.of("start", "end"), Map.of("lease", "lease"))),
            Map.entry("forwardInterface", new Spec(Set.of("dev"), Map.of())),
            Map.entry("pf", new Spec(Set.of("dev"), Map.of())),
            Map.entry("driver", new Spec(Set.of("name"), Map.of())),
            Map.entry("bridge", new Spec(Set.of("name", "stp", "delay", "zone", "macTableManager"), Map.of())),
            Map.entry("mac", new Spec(Set.of("address"), Map.of())),
            Map.entry("mtu", new Spec(Set.of("size"), Map.of())),
            Map.entry("domain", new Spec(Set.of("name", "localOnly", "register"), Map.of())),
            Map.entry("dns", new Spec(Set.of("enable", "forwardPlainNames"), Map.of("forwarder", "forwarder",
                    "txt", "txt", "srv", "srv", "host", "dnsHost"))),
            Map.entry("forwarder", new Spec(Set.of("addr", "domain"), Map.of())),
            Map.entry("txt", new Spec(Set.of("name", "value"), Map.of())),
            Map.entry("srv", new Spec(Set.of("service", "protocol", "domain", "target", "port", "priority", "weight"),
                    Map.of())),
            Map.entry("dnsHost", new Spec(Set.of("ip"), Map.of("hostname", "text"))),
            Map.entry("ip", new Spec(Set.of("address", "netmask", "prefix", "family", "localPtr"),
                    Map.of("tftp", "tftp", "dhcp", "dhcp"))),
            Map.entry("tftp", new Spec(Set.of("root"), Map.of())),
            Map.entry("dhcp", new Spec(Set.of(), Map.of("range", "range", "host", "dhcpHost", "bootp", "bootp"))),
            Map.entry("dhcpHost", new Spec(Set.of("mac", "id", "name", "ip"), Map.of("lease", "lease"))),
            Map.entry("lease", new Spec(Set.of("expiry", "unit"), Map.of())),
            Map.entry("bootp", new Spec(Set.of("file", "server"), Map.of())),
            Map.entry("route", new Spec(Set.of("family", "address", "netmask", "prefix", "gateway", "metric"),
                    Map.of())),
            Map.entry("port", new Spec(Set.of("isolated"), Map.of())),
            Map.entry("dnsmasqOptions", new Spec(Set.of(), Map.of("option", "dnsmasqOption"))),
            Map.entry("dnsmasqOption", new Spec(Set.of("value"), Map.of())));

    private LenientNetworkXml() {}

    static Pruned prune(XmlElement root) {
        List<String> ignored = new ArrayList<>();
        XmlElement pruned = prune(root, "network", "/network", ignored);
        return new Pruned(pruned, ignored);
    }

    private static XmlElement prune(XmlElement e, String key, String path, List<String> ignored) {
        if (key.equals(OPAQUE)) return e;
        Spec spec = SPECS.get(key);
        List<XmlAttribute> attributes = new ArrayList<>();
        for (XmlAttribute a : e.attributes()) {
            // namespace declarations are not attributes to libvirt; the parser never sees them either way
            if (a.namespace().isEmpty() && spec.attributes().contains(a.localName())) attributes.add(a);
            else if (!a.qName().startsWith("xmlns")) ignored.add(path + "/@" + a.qName());
        }
        List<XmlNode> children = new ArrayList<>();
        for (XmlNode n : e.children()) {
            if (!(n instanceof XmlElement c)) {
                children.add(n);
                continue;
            }
            String childKey;
            if (c.namespace().isEmpty()) childKey = spec.children().get(c.localName());
            else if (key.equals("network") && c.namespace().equals(DNSMASQ_NS) && c.localName().equals("options")) {
                childKey = "dnsmasqOptions";
            } else if (key.equals("dnsmasqOptions") && c.namespace().equals(DNSMASQ_NS) && c.localName().equals("option")) {
                childKey = "dnsmasqOption";
            } else {
                childKey = null;
            }
            String childPath = path + "/" + c.qName();
            if (childKey == null) {
                ignored.add(childPath);
                continue;
            }
            children.add(prune(c, childKey, childPath, ignored));
        }
        return new XmlElement(e.namespace(), e.localName(), e.qName(), attributes, children, e.line(), e.column(),
                e.endLine(), e.endColumn());
    }
}
