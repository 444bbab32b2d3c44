package org.vnetlab.emulator.libvirt.schema;

import java.util.Arrays;

/**
 * The grammar of libvirt's network XML, written in our own code from the facts of libvirt's RELAX NG schema
 * ({@code network.rng} with {@code basictypes.rng} and {@code networkcommon.rng}): which elements and
 * attributes may appear where, how often, and with which value types. The schema files themselves are not
 * shipped or read at run time; tests check this grammar against them through Jing.
 */
final class NetworkSchema {
    static final String DNSMASQ_NS = "http://libvirt.org/schemas/network/dnsmasq/1.0";

    private NetworkSchema() {}

    // ---- value types (basictypes.rng / networkcommon.rng) ----

    private static final String DEC_OCTET = "((25[0-5])|(2[0-4][0-9])|(1[0-9]{2})|([1-9][0-9])|([0-9]))";
    private static final String H16 = "[0-9A-Fa-f]{1,4}";
    private static final String IPV4 = "(" + DEC_OCTET + "\\.){3}" + DEC_OCTET;

    static final Datatype IPV4_ADDR = Datatypes.pattern(IPV4, "an IPv4 address in dotted-quad form");
    static final Datatype IPV6_ADDR = Datatypes.pattern(String.join("|",
            "((" + H16 + ":){7}" + H16 + ")",
            "((" + H16 + ":){6}:" + H16 + ")",
            "((" + H16 + ":){5}:(" + H16 + ":)?" + H16 + ")",
            "((" + H16 + ":){4}:(" + H16 + ":){0,2}" + H16 + ")",
            "((" + H16 + ":){3}:(" + H16 + ":){0,3}" + H16 + ")",
            "((" + H16 + ":){2}:(" + H16 + ":){0,4}" + H16 + ")",
            "((" + H16 + ":){6}" + IPV4 + ")",
            "((" + H16 + ":){0,5}:" + IPV4 + ")",
            "(::(" + H16 + ":){0,5}" + IPV4 + ")",
            "(" + H16 + "::(" + H16 + ":){0,5}" + H16 + ")",
            "(::(" + H16 + ":){0,6}" + H16 + ")",
            "((" + H16 + ":){1,7}:)",
            "(::)"), "an IPv6 address");
    static final Datatype IP_ADDR = Datatypes.either(IPV4_ADDR, IPV6_ADDR, "an IPv4 or IPv6 address");
    static final Datatype UNI_MAC = Datatypes.pattern("[a-fA-F0-9][02468aAcCeE](:[a-fA-F0-9]{2}){5}",
            "a unicast MAC address (six hex pairs with ':', even first byte)");
    static final Datatype UUID = Datatypes.either(
            Datatypes.pattern("[a-fA-F0-9]{32}", ""),
            Datatypes.pattern("[a-fA-F0-9]{8}-([a-fA-F0-9]{4}-){3}[a-fA-F0-9]{12}", ""),
            "a UUID (32 hex digits, optionally grouped 8-4-4-4-12)");
    static final Datatype DNS_NAME = Datatypes.pattern("[a-zA-Z0-9.\\-]+", "a DNS name (letters, digits, '.' and '-')");
    static final Datatype DEVICE_NAME = Datatypes.pattern("[a-zA-Z0-9_.\\-\\\\:/]+",
            "a device name (letters, digits, '_', '.', '-', '\\', ':' and '/')");
    static final Datatype ZONE_NAME = Datatypes.pattern("[a-zA-Z0-9_\\-]+", "a zone name (letters, digits, '_' and '-')");
    static final Datatype FILE_PATH = Datatypes.pattern("[^\\n\\r]+", "a non-empty path");
    static final Datatype TITLE = Datatypes.pattern("[^\\n]+", "one non-empty line");
    static final Datatype ADDR_FAMILY = Datatypes.pattern("(ipv4)|(ipv6)", "\"ipv4\" or \"ipv6\"");
    static final Datatype PROTOCOL = Datatypes.pattern("(tcp)|(udp)", "\"tcp\" or \"udp\"");
    static final Datatype UNSIGNED_INT = Datatypes.unsignedInt(true);
    static final Datatype XSD_UNSIGNED_INT = Datatypes.unsignedInt(false);
    static final Datatype UNSIGNED_LONG = Datatypes.unsignedLong(true);
    static final Datatype XSD_UNSIGNED_LONG = Datatypes.unsignedLong(false);
    static final Datatype UNSIGNED_SHORT = Datatypes.intRange(0, 65535);
    static final Datatype PORT = Datatypes.intRange(1, 65535);
    static final Datatype IP_PREFIX = Datatypes.either(Datatypes.unsignedInt(32), Datatypes.unsignedInt(128),
            "a prefix length from 0 to 128");
    static final Datatype POSITIVE_INTEGER = Datatypes.integer(java.math.BigInteger.ONE, null, true);
    static final Datatype SPEED = Datatypes.integer(java.math.BigInteger.ONE,
            new java.math.BigInteger("18014398509481984"), true);
    static final Datatype BURST_SIZE = Datatypes.integer(java.math.BigInteger.ONE, Datatypes.UNSIGNED_INT_MAX, true);
    static final Datatype VLAN_ID = Datatypes.unsignedInt(4095);
    static final Datatype PORT_PROFILE_ID = Datatypes.maxLength(39);
    static final Datatype UINT8 = Datatypes.either(Datatypes.pattern("0x[0-9a-fA-F]{1,2}", ""),
            Datatypes.intRange(0, 255), "a number from 0 to 255 (decimal, or hex with 0x)");
    static final Datatype UINT24 = Datatypes.either(Datatypes.pattern("0x[0-9a-fA-F]{1,6}", ""),
            Datatypes.intRange(0, 16777215), "a number from 0 to 16777215 (decimal, or hex with 0x)");
    static final Datatype UINT32 = Datatypes.either(Datatypes.pattern("(0x)?[0-9a-fA-F]{1,8}", ""),
            Datatypes.unsignedInt(false), "a 32-bit number (decimal, or hex)");
    static final Datatype PCI_SLOT = Datatypes.either(Datatypes.pattern("(0x)?[0-1]?[0-9a-fA-F]", ""),
            Datatypes.intRange(0, 31), "a PCI slot from 0 to 31");
    static final Datatype PCI_FUNC = Datatypes.either(Datatypes.pattern("(0x)?[0-7]", ""),
            Datatypes.intRange(0, 7), "a PCI function from 0 to 7");
    static final Datatype DUID = Datatypes.pattern(String.join("|",
            "([0]{1,2}:[0]{0,1}[1]:[0]{1,2}:[0]{0,1}[a-fA-F1-9](:[a-fA-F0-9]{1,2}){4}(:[a-fA-F0-9]{1,2}){6,8})",
            "([0]{1,2}:[0]{0,1}[2](:[a-fA-F0-9]{1,2}){4}(:[a-fA-F0-9]{1,2}){1,124})",
            "([0]{1,2}:[0]{0,1}[3]:[0]{1,2}:[0]{0,1}[a-fA-F1-9](:[a-fA-F0-9]{1,2}){6,8})",
            "([0]{1,2}:[0]{0,1}[4](:[a-fA-F0-9]{1,2}){16})"), "a DHCPv6 DUID (LLT, EN, LL or UUID form)");

    // ---- building blocks ----

    private static Pattern element(String name, Pattern... content) {
        return new Pattern.Element(new NameClass.Name("", name), group(content));
    }

    private static Pattern element(String ns, String name, Pattern... content) {
        return new Pattern.Element(new NameClass.Name(ns, name), group(content));
    }

    private static Pattern attr(String name, Pattern content) {
        return new Pattern.Attribute(new NameClass.Name("", name), content);
    }

    private static Pattern attr(String name, Datatype type) {
        return attr(name, data(type));
    }

    private static Pattern data(Datatype type) { return new Pattern.Data(type); }

    private static Pattern text() { return Pattern.TEXT; }

    private static Pattern empty() { return Pattern.EMPTY; }

    private static Pattern values(String... values) {
        return choice(Arrays.stream(values).map(v -> (Pattern) new Pattern.Value(v)).toArray(Pattern[]::new));
    }

    private static Pattern optional(Pattern p) { return new Pattern.Choice(p, Pattern.EMPTY); }

    private static Pattern zeroOrMore(Pattern p) { return optional(oneOrMore(p)); }

    private static Pattern oneOrMore(Pattern p) { return new Pattern.OneOrMore(p); }

    private static Pattern group(Pattern... ps) {
        if (ps.length == 0) return Pattern.EMPTY;
        Pattern out = ps[0];
        for (int i = 1; i < ps.length; i++) out = new Pattern.Group(out, ps[i]);
        return out;
    }

    private static Pattern interleave(Pattern... ps) {
        Pattern out = ps[0];
        for (int i = 1; i < ps.length; i++) out = new Pattern.Interleave(out, ps[i]);
        return out;
    }

    private static Pattern choice(Pattern... ps) {
        Pattern out = ps[0];
        for (int i = 1; i < ps.length; i++) out = new Pattern.Choice(out, ps[i]);
        return out;
    }

    private static Pattern yesNo() { return values("yes", "no"); }

    private static Pattern onOff() { return values("on", "off"); }

    // ---- the grammar ----

    /** The start pattern: one {@code <network>} element. */
    static Pattern network() {
        return element("network",
                optional(attr("connections", XSD_UNSIGNED_INT)),
                optional(attr("ipv6", yesNo())),
                optional(attr("trustGuestRxFilters", yesNo())),
                interleave(
                        element("name", text()),
                        optional(element("title", data(TITLE))),
                        optional(element("description", text())),
                        optional(metadata()),
                        optional(element("uuid", data(UUID))),
                        optional(bridge()),
                        optional(mtu()),
                        optional(element("mac", attr("address", UNI_MAC), empty())),
                        optional(forward()),
                        optional(virtualPortProfile()),
                        zeroOrMore(portgroup()),
                        optional(element("domain", attr("name", DNS_NAME), optional(attr("localOnly", yesNo())))),
                        optional(dns()),
                        optional(bandwidth()),
                        optional(vlan()),
                        optional(element("port", optional(attr("isolated", yesNo())))),
                        zeroOrMore(ip()),
                        zeroOrMore(route()),
                        optional(element(DNSMASQ_NS, "options",
                                zeroOrMore(element(DNSMASQ_NS, "option", attr("value", text())))))));
    }

    /** {@code <metadata>}: any well-formed content, any names, any attributes. */
    private static Pattern metadata() {
        Pattern.Element custom = new Pattern.Element(new NameClass.AnyName());
        custom.define(zeroOrMore(choice(new Pattern.Attribute(new NameClass.AnyName(), text()), text(), custom)));
        return element("metadata", zeroOrMore(custom));
    }

    private static Pattern bridge() {
        return element("bridge",
                optional(attr("name", DEVICE_NAME)),
                optional(attr("zone", ZONE_NAME)),
                optional(attr("stp", onOff())),
                optional(attr("delay", XSD_UNSIGNED_LONG)),
                optional(attr("macTableManager", values("kernel", "libvirt"))));
    }

    private static Pattern mtu() {
        return element("mtu", attr("size", UNSIGNED_SHORT));
    }

    private static Pattern forward() {
        Pattern interfaces = zeroOrMore(element("interface",
                attr("dev", DEVICE_NAME),
                optional(attr("connections", XSD_UNSIGNED_INT))));
        Pattern pciAddresses = zeroOrMore(element("address",
                attr("type", values("pci")),
                pciAddress(),
                optional(attr("connections", XSD_UNSIGNED_INT))));
        Pattern nat = element("nat",
                optional(attr("ipv6", yesNo())),
                interleave(
                        optional(element("address", attr("start", IPV4_ADDR), attr("end", IPV4_ADDR))),
                        optional(element("port", attr("start", PORT), attr("end", PORT)))));
        return element("forward",
                optional(attr("dev", DEVICE_NAME)),
                optional(attr("mode", values("nat", "route", "open", "bridge", "passthrough", "private", "vepa", "hostdev"))),
                optional(attr("managed", yesNo())),
                interleave(
                        choice(interfaces, pciAddresses),
                        optional(element("pf", attr("dev", DEVICE_NAME))),
                        optional(element("driver", attr("name", values("kvm", "vfio")), empty())),
                        optional(nat)));
    }

    private static Pattern pciAddress() {
        return group(
                optional(attr("domain", UINT32)),
                optional(attr("bus", UINT8)),
                optional(attr("slot", PCI_SLOT)),
                optional(attr("function", PCI_FUNC)),
                optional(attr("multifunction", onOff())));
    }

    private static Pattern virtualPortProfile() {
        Pattern qbg = element("virtualport",
                attr("type", values("802.1Qbg")),
                optional(element("parameters",
                        optional(attr("managerid", UINT8)),
                        optional(attr("typeid", UINT24)),
                        optional(attr("typeidversion", UINT8)),
                        optional(attr("instanceid", UUID)))));
        Pattern qbh = element("virtualport",
                attr("type", values("802.1Qbh")),
                optional(element("parameters", optional(attr("profileid", PORT_PROFILE_ID)))));
        Pattern ovs = element("virtualport",
                attr("type", values("openvswitch")),
                optional(element("parameters",
                        optional(attr("profileid", PORT_PROFILE_ID)),
                        optional(attr("interfaceid", UUID)))));
        Pattern midonet = element("virtualport",
                attr("type", values("midonet")),
                element("parameters", attr("interfaceid", UUID)));
        Pattern untyped = element("virtualport",
                optional(element("parameters",
                        optional(attr("managerid", UINT8)),
                        optional(attr("typeid", UINT24)),
                        optional(attr("typeidversion", UINT8)),
                        optional(attr("instanceid", UUID)),
                        optional(attr("profileid", PORT_PROFILE_ID)),
                        optional(attr("interfaceid", UUID)))));
        return choice(qbg, qbh, ovs, midonet, untyped);
    }

    private static Pattern portgroup() {
        return element("portgroup",
                attr("name", DEVICE_NAME),
                optional(attr("default", yesNo())),
                optional(attr("trustGuestRxFilters", yesNo())),
                interleave(optional(virtualPortProfile()), optional(bandwidth()), optional(vlan())));
    }

    private static Pattern bandwidth() {
        return element("bandwidth",
                optional(attr("classID", POSITIVE_INTEGER)),
                interleave(
                        optional(element("inbound", bandwidthAttributes(), empty())),
                        optional(element("outbound", bandwidthAttributes(), empty()))));
    }

    private static Pattern bandwidthAttributes() {
        return group(
                optional(attr("average", SPEED)),
                optional(attr("peak", SPEED)),
                optional(attr("floor", SPEED)),
                optional(attr("burst", BURST_SIZE)));
    }

    private static Pattern vlan() {
        return element("vlan",
                optional(attr("trunk", values("yes"))),
                oneOrMore(element("tag",
                        attr("id", VLAN_ID),
                        optional(attr("nativeMode", values("tagged", "untagged"))),
                        empty())));
    }

    private static Pattern dns() {
        return element("dns",
                optional(attr("enable", yesNo())),
                optional(attr("forwardPlainNames", yesNo())),
                interleave(
                        zeroOrMore(element("forwarder",
                                optional(attr("addr", IP_ADDR)),
                                optional(attr("domain", DNS_NAME)),
                                empty())),
                        zeroOrMore(element("txt", attr("name", DNS_NAME), attr("value", text()))),
                        zeroOrMore(element("srv",
                                attr("service", text()),
                                attr("protocol", PROTOCOL),
                                optional(attr("domain", DNS_NAME)),
                                optional(attr("target", text())),
                                optional(attr("port", UNSIGNED_SHORT)),
                                optional(attr("priority", UNSIGNED_SHORT)),
                                optional(attr("weight", UNSIGNED_SHORT)))),
                        zeroOrMore(element("host",
                                attr("ip", IP_ADDR),
                                oneOrMore(element("hostname", data(DNS_NAME)))))));
    }

    private static Pattern ip() {
        Pattern lease = element("lease", attr("expiry", UNSIGNED_LONG),
                optional(attr("unit", values("seconds", "minutes", "hours"))));
        Pattern range = element("range", attr("start", IP_ADDR), attr("end", IP_ADDR), optional(lease));
        Pattern host = element("host",
                choice(
                        group(choice(attr("mac", UNI_MAC), attr("id", DUID)), optional(attr("name", text()))),
                        attr("name", text())),
                attr("ip", IP_ADDR),
                optional(lease));
        Pattern dhcp = element("dhcp", interleave(
                zeroOrMore(range),
                zeroOrMore(host),
                optional(element("bootp", attr("file", FILE_PATH), optional(attr("server", DNS_NAME))))));
        return element("ip",
                optional(attr("address", IP_ADDR)),
                optional(choice(attr("netmask", IPV4_ADDR), attr("prefix", IP_PREFIX))),
                optional(attr("family", ADDR_FAMILY)),
                optional(attr("localPtr", yesNo())),
                interleave(
                        optional(element("tftp", attr("root", text()))),
                        optional(dhcp)));
    }

    private static Pattern route() {
        return element("route",
                optional(attr("family", ADDR_FAMILY)),
                attr("address", IP_ADDR),
                optional(choice(attr("netmask", IPV4_ADDR), attr("prefix", IP_PREFIX))),
                attr("gateway", IP_ADDR),
                optional(attr("metric", UNSIGNED_INT)));
    }
}
