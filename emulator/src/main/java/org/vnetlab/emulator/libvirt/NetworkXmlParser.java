package org.vnetlab.emulator.libvirt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.NetworkDefinition.AddressRange;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Bootp;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Bridge;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DhcpHost;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DhcpRange;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Dns;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsForwarder;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsHost;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsSrv;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsTxt;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Domain;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Forward;
import org.vnetlab.emulator.libvirt.NetworkDefinition.ForwardMode;
import org.vnetlab.emulator.libvirt.NetworkDefinition.IpDefinition;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Lease;
import org.vnetlab.emulator.libvirt.NetworkDefinition.LeaseUnit;
import org.vnetlab.emulator.libvirt.NetworkDefinition.PortRange;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Route;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Tristate;
import org.vnetlab.emulator.libvirt.schema.NetworkSchemaValidator;
import org.vnetlab.emulator.libvirt.xml.SecureXmlReader;
import org.vnetlab.emulator.libvirt.xml.XmlElement;
import org.vnetlab.protocols.MacAddress;

/**
 * Reads network XML the way {@code virsh net-define --validate} does: well-formed and free of DTDs, valid
 * against the network grammar, then libvirt's own checks that the grammar cannot express (address families,
 * ranges inside their network, forwarders with something to forward...). Every refusal is an
 * {@link InputException} naming the file, line and column of the element at fault.
 */
public final class NetworkXmlParser {
    static final String DNSMASQ_NS = "http://libvirt.org/schemas/network/dnsmasq/1.0";

    private final String file;

    private NetworkXmlParser(String file) {
        this.file = file;
    }

    public static NetworkDefinition parse(Path path) throws InputException {
        XmlElement root = SecureXmlReader.read(path);
        return build(path.toString(), root);
    }

    public static NetworkDefinition parse(String file, String xml) throws InputException {
        return build(file, SecureXmlReader.read(file, xml));
    }

    public static NetworkDefinition parse(String file, byte[] xml) throws InputException {
        return build(file, SecureXmlReader.read(file, xml));
    }

    /** An already-read document (e.g. one libvirt's lenient reader has pruned), checked and built like the rest. */
    public static NetworkDefinition parse(String file, XmlElement root) throws InputException {
        return build(file, root);
    }

    private static NetworkDefinition build(String file, XmlElement root) throws InputException {
        NetworkSchemaValidator.validate(file, root);
        return new NetworkXmlParser(file).network(root);
    }

    private InputException error(XmlElement at, String token, String problem) {
        return new InputException(file, at.line(), at.column(), token, problem);
    }

    private InputException error(XmlElement at, String token, String problem, String hint) {
        return new InputException(file, at.line(), at.column(), token, problem, hint);
    }

    private static String attr(XmlElement e, String name) {
        return e.attribute(name).orElseThrow(() -> new IllegalStateException("grammar guarantees @" + name));
    }

    private static String written(XmlElement e, String name) {
        return e.attributeNode(name).map(a -> a.asWritten()).orElse(e.tag());
    }

    private NetworkDefinition network(XmlElement root) throws InputException {
        XmlElement nameElement = root.element("name").orElseThrow();
        String name = nameElement.text();
        if (name.isEmpty()) throw error(nameElement, "<name>", "network name is empty");
        if (name.contains("/")) throw error(nameElement, name, "network name '" + name + "' cannot contain '/'");

        Optional<String> uuid = root.element("uuid").map(XmlElement::text);
        OptionalLong connections = root.attribute("connections")
                .map(v -> OptionalLong.of(Long.parseLong(v.strip().replace("+", "")))).orElse(OptionalLong.empty());
        boolean ipv6NoGateway = root.attribute("ipv6").map("yes"::equals).orElse(false);

        Forward forward = root.element("forward").isPresent() ? forward(root.element("forward").get()) : Forward.isolated();
        Optional<Bridge> bridge = root.element("bridge").map(NetworkXmlParser::bridge);
        Optional<MacAddress> mac = root.element("mac").map(m -> MacAddress.parse(attr(m, "address")));
        OptionalInt mtu = root.element("mtu")
                .map(m -> OptionalInt.of(Integer.parseInt(attr(m, "size").strip().replace("+", ""))))
                .orElse(OptionalInt.empty());
        Optional<Domain> domain = root.element("domain")
                .map(d -> new Domain(attr(d, "name"), Tristate.of(d.attribute("localOnly"))));
        Dns dns = root.element("dns").isPresent() ? dns(root.element("dns").get()) : Dns.defaults();

        List<IpDefinition> ips = new ArrayList<>();
        for (XmlElement ip : root.elements("ip")) ips.add(ip(ip));
        List<Route> routes = new ArrayList<>();
        for (XmlElement r : root.elements("route")) routes.add(route(r));
        List<String> options = new ArrayList<>();
        for (XmlElement opts : root.elements(DNSMASQ_NS, "options")) {
            for (XmlElement o : opts.elements(DNSMASQ_NS, "option")) options.add(attr(o, "value"));
        }

        if (!forward.mode().virtual()) {
            String mode = forward.mode().xmlName();
            if (!ips.isEmpty()) {
                throw error(root.elements("ip").get(0), "<ip>",
                        "Unsupported <ip> element in network " + name + " with forward mode='" + mode + "'");
            }
            if (!dns.forwarders().isEmpty() || !dns.hosts().isEmpty() || !dns.srvs().isEmpty() || !dns.txts().isEmpty()) {
                throw error(root.element("dns").get(), "<dns>",
                        "Unsupported <dns> element in network " + name + " with forward mode='" + mode + "'");
            }
            if (domain.isPresent()) {
                throw error(root.element("domain").get(), "<domain>",
                        "Unsupported <domain> element in network " + name + " with forward mode='" + mode + "'");
            }
        }
        Tristate portIsolated = root.element("port").map(p -> Tristate.of(p.attribute("isolated"))).orElse(Tristate.ABSENT);
        return new NetworkDefinition(name, uuid, connections, ipv6NoGateway, forward, bridge, mac, mtu, portIsolated,
                domain, dns, ips, routes, options, unmodelled(root));
    }

    /** What libvirt would do with these that the emulator does not (traffic shaping, VLANs, port profiles). */
    private static List<NetworkDefinition.Unmodelled> unmodelled(XmlElement root) {
        List<NetworkDefinition.Unmodelled> out = new ArrayList<>();
        for (XmlElement e : root.elements()) {
            String effect = switch (e.localName()) {
                case "bandwidth" -> "libvirt shapes the bridge's traffic with tc; rates are not emulated";
                case "vlan" -> "VLAN tagging of guest ports is not emulated";
                case "portgroup" -> "port groups only matter to guests that name them; not emulated";
                case "virtualport" -> "802.1Qbg/Qbh and Open vSwitch port profiles are not emulated";
                default -> null;
            };
            if (effect != null && e.namespace().isEmpty()) out.add(new NetworkDefinition.Unmodelled(e.localName(), e.line(), effect));
        }
        if (root.attribute("trustGuestRxFilters").isPresent()) {
            out.add(new NetworkDefinition.Unmodelled("trustGuestRxFilters", root.line(),
                    "only affects macvtap guest interfaces; not emulated"));
        }
        return out;
    }

    private Forward forward(XmlElement f) throws InputException {
        ForwardMode mode = f.attribute("mode").map(m -> ForwardMode.of(m.strip())).orElse(ForwardMode.NAT);
        Optional<String> dev = f.attribute("dev");
        List<String> interfaces = f.elements("interface").stream().map(i -> attr(i, "dev")).toList();
        if (dev.isPresent() && !interfaces.isEmpty() && !dev.get().equals(interfaces.get(0))) {
            throw error(f, written(f, "dev"), "forward dev '" + dev.get()
                    + "' must match first interface element dev '" + interfaces.get(0) + "' in network");
        }
        Optional<AddressRange> natAddresses = Optional.empty();
        Optional<PortRange> natPorts = Optional.empty();
        Tristate natIpv6 = Tristate.ABSENT;
        Optional<XmlElement> nat = f.element("nat");
        if (nat.isPresent()) {
            XmlElement n = nat.get();
            if (mode != ForwardMode.NAT) {
                throw error(n, "<nat>", "The <nat> element can only be used when <forward> 'mode' is 'nat'");
            }
            natIpv6 = Tristate.of(n.attribute("ipv6"));
            Optional<XmlElement> addr = n.element("address");
            if (addr.isPresent()) {
                IpAddress start = IpAddress.parse(attr(addr.get(), "start"));
                IpAddress end = IpAddress.parse(attr(addr.get(), "end"));
                if (((IpAddress.V4) start).unsigned() > ((IpAddress.V4) end).unsigned()) {
                    throw error(addr.get(), written(addr.get(), "start"),
                            "Bad range (" + start + " - " + end + ") in <nat>");
                }
                natAddresses = Optional.of(new AddressRange(start, end));
            }
            Optional<XmlElement> port = n.element("port");
            if (port.isPresent()) {
                int start = number(attr(port.get(), "start"));
                int end = number(attr(port.get(), "end"));
                if (start > end) {
                    throw error(port.get(), written(port.get(), "start"),
                            "Port start " + start + " greater than end " + end + " in <nat>");
                }
                natPorts = Optional.of(new PortRange(start, end));
            }
        }
        return new Forward(mode, dev, interfaces, natAddresses, natPorts, natIpv6);
    }

    /** An integer the grammar already accepted (XML Schema allows blanks around it and a '+'). */
    private static int number(String s) {
        return Integer.parseInt(s.strip().replace("+", ""));
    }

    private static Bridge bridge(XmlElement b) {
        return new Bridge(b.attribute("name"), b.attribute("zone"), b.attribute("stp").map("on"::equals),
                b.attribute("delay").map(d -> OptionalLong.of(Long.parseUnsignedLong(d.strip().replace("+", ""))))
                        .orElse(OptionalLong.empty()),
                b.attribute("macTableManager"));
    }

    private Dns dns(XmlElement d) throws InputException {
        Tristate enable = Tristate.of(d.attribute("enable"));
        Tristate plain = Tristate.of(d.attribute("forwardPlainNames"));
        List<DnsForwarder> forwarders = new ArrayList<>();
        for (XmlElement f : d.elements("forwarder")) {
            Optional<String> addr = f.attribute("addr");
            Optional<String> domain = f.attribute("domain");
            if (addr.isEmpty() && domain.isEmpty()) {
                throw error(f, "<forwarder>", "Invalid forwarder element, must contain at least one of addr or domain");
            }
            forwarders.add(new DnsForwarder(addr.map(IpAddress::parse), domain));
        }
        List<DnsTxt> txts = new ArrayList<>();
        for (XmlElement t : d.elements("txt")) txts.add(new DnsTxt(attr(t, "name"), attr(t, "value")));
        List<DnsSrv> srvs = new ArrayList<>();
        for (XmlElement s : d.elements("srv")) {
            srvs.add(new DnsSrv(attr(s, "service"), attr(s, "protocol"), s.attribute("domain"), s.attribute("target"),
                    s.attribute("port").map(NetworkXmlParser::number).orElse(0),
                    s.attribute("priority").map(NetworkXmlParser::number).orElse(0),
                    s.attribute("weight").map(NetworkXmlParser::number).orElse(0)));
        }
        List<DnsHost> hosts = new ArrayList<>();
        for (XmlElement h : d.elements("host")) {
            List<String> names = h.elements("hostname").stream().map(XmlElement::text).toList();
            hosts.add(new DnsHost(IpAddress.parse(attr(h, "ip")), names));
        }
        if (enable == Tristate.NO && (!forwarders.isEmpty() || !txts.isEmpty() || !srvs.isEmpty() || !hosts.isEmpty())) {
            throw error(d, written(d, "enable"), "Extra data in disabled network's <dns> element",
                    "with enable='no' dnsmasq serves no DNS, so forwarders and records would do nothing");
        }
        return new Dns(enable, plain, forwarders, txts, srvs, hosts);
    }

    private IpDefinition ip(XmlElement ip) throws InputException {
        Optional<String> addressText = ip.attribute("address");
        if (addressText.isEmpty()) throw error(ip, "<ip>", "Missing required address attribute in <ip>");
        IpAddress address = IpAddress.parse(addressText.get());
        Optional<String> family = ip.attribute("family");
        if (family.isPresent() && !family.get().equals(address.family().xmlName())) {
            throw error(ip, written(ip, "family"), "family '" + family.get() + "' specified for "
                    + (address.family() == IpAddress.Family.IPV4 ? "IPv4" : "IPv6") + " address '" + address + "'");
        }
        int prefix = prefix(ip, address);
        Tristate localPtr = Tristate.of(ip.attribute("localPtr"));

        Optional<String> tftpRoot = ip.element("tftp").map(t -> attr(t, "root"));
        if (tftpRoot.isPresent() && address.family() == IpAddress.Family.IPV6) {
            throw error(ip.element("tftp").get(), "<tftp>", "Unsupported <tftp> element in an IPv6 element");
        }

        List<DhcpRange> ranges = new ArrayList<>();
        List<DhcpHost> hosts = new ArrayList<>();
        Optional<Bootp> bootp = Optional.empty();
        Optional<XmlElement> dhcp = ip.element("dhcp");
        if (dhcp.isPresent()) {
            for (XmlElement r : dhcp.get().elements("range")) ranges.add(range(r, address, prefix));
            for (XmlElement h : dhcp.get().elements("host")) hosts.add(host(h, address));
            Optional<XmlElement> b = dhcp.get().element("bootp");
            if (b.isPresent()) {
                if (address.family() != IpAddress.Family.IPV4) {
                    throw error(b.get(), "<bootp>", "Unsupported <bootp> element in an IPv6 element");
                }
                Optional<IpAddress> server = Optional.empty();
                if (b.get().attribute("server").isPresent()) {
                    String s = attr(b.get(), "server");
                    try {
                        server = Optional.of(IpAddress.parse(s));
                    } catch (IllegalArgumentException e) {
                        throw error(b.get(), written(b.get(), "server"), "Failed to parse bootp server address '" + s + "'");
                    }
                }
                bootp = Optional.of(new Bootp(attr(b.get(), "file"), server));
            }
        }
        return new IpDefinition(address, prefix, localPtr, tftpRoot, ranges, hosts, bootp);
    }

    /** The prefix from {@code prefix} or {@code netmask}, else libvirt's default (classful for IPv4, 64 for IPv6). */
    private int prefix(XmlElement ip, IpAddress address) throws InputException {
        Optional<String> prefix = ip.attribute("prefix");
        Optional<String> netmask = ip.attribute("netmask");
        if (netmask.isPresent()) {
            if (address.family() != IpAddress.Family.IPV4) {
                throw error(ip, written(ip, "netmask"), "netmask specified for IPv6 address '" + address + "'",
                        "use prefix='64' for IPv6");
            }
            int bits = IpAddress.V4.of(netmask.get()).netmaskBits();
            if (bits < 0) throw error(ip, written(ip, "netmask"), "invalid netmask '" + netmask.get() + "' (not contiguous)");
            return bits;
        }
        if (prefix.isPresent()) {
            int p = number(prefix.get());
            if (p > address.family().bits()) {
                throw error(ip, written(ip, "prefix"), "invalid prefix " + p + " for " + address.family().xmlName()
                        + " address '" + address + "'");
            }
            if (p > 0) return p;
        }
        int natural = naturalPrefix(address);
        if (natural < 0) {
            throw error(ip, written(ip, "address"), "no netmask or prefix given for class D/E address '" + address + "'");
        }
        return natural;
    }

    /** libvirt's fallback when neither prefix nor netmask is given: the classful mask for IPv4, 64 for IPv6. */
    private static int naturalPrefix(IpAddress address) {
        if (address instanceof IpAddress.V4 v4) {
            int octet = (int) (v4.unsigned() >>> 24);
            if (v4.unsigned() == 0) return 0;
            if ((octet & 0x80) == 0) return 8;
            if ((octet & 0xc0) == 0x80) return 16;
            if ((octet & 0xe0) == 0xc0) return 24;
            return -1;
        }
        return 64;
    }

    private DhcpRange range(XmlElement r, IpAddress network, int prefix) throws InputException {
        IpAddress start = IpAddress.parse(attr(r, "start"));
        IpAddress end = IpAddress.parse(attr(r, "end"));
        DhcpRange range = new DhcpRange(start, end, lease(r));
        try {
            range.addressCount(network, prefix);
        } catch (IllegalArgumentException e) {
            throw error(r, written(r, "start"), e.getMessage());
        }
        return range;
    }

    private Optional<Lease> lease(XmlElement parent) {
        return parent.element("lease").map(l -> new Lease(
                Long.parseUnsignedLong(attr(l, "expiry").strip()),
                l.attribute("unit").map(u -> LeaseUnit.valueOf(u.strip().toUpperCase(java.util.Locale.ROOT)))
                        .orElse(LeaseUnit.MINUTES)));
    }

    private DhcpHost host(XmlElement h, IpAddress network) throws InputException {
        Optional<MacAddress> mac = h.attribute("mac").map(MacAddress::parse);
        Optional<String> id = h.attribute("id");
        Optional<String> name = h.attribute("name");
        IpAddress ip = IpAddress.parse(attr(h, "ip"));
        if (ip.family() != network.family()) {
            throw error(h, written(h, "ip"), "Invalid to specify " + (ip.family() == IpAddress.Family.IPV4 ? "IPv4" : "IPv6")
                    + " address '" + ip + "' in an " + (network.family() == IpAddress.Family.IPV4 ? "IPv4" : "IPv6")
                    + " static host definition");
        }
        if (network.family() == IpAddress.Family.IPV6 && mac.isPresent()) {
            throw error(h, written(h, "mac"), "Invalid to specify MAC address '" + mac.get()
                    + "' in an IPv6 static host definition", "DHCPv6 identifies clients by id (DUID), not MAC");
        }
        if (network.family() == IpAddress.Family.IPV4 && id.isPresent()) {
            throw error(h, written(h, "id"), "Invalid to specify id '" + id.get() + "' in an IPv4 static host definition");
        }
        return new DhcpHost(mac, id, name, ip, lease(h));
    }

    private Route route(XmlElement r) throws InputException {
        IpAddress address = IpAddress.parse(attr(r, "address"));
        IpAddress gateway = IpAddress.parse(attr(r, "gateway"));
        if (address.family() != gateway.family()) {
            throw error(r, written(r, "gateway"), "route address and gateway are of different families");
        }
        int prefix;
        if (r.attribute("netmask").isPresent()) {
            if (address.family() != IpAddress.Family.IPV4) {
                throw error(r, written(r, "netmask"), "netmask specified for IPv6 route");
            }
            prefix = IpAddress.V4.of(attr(r, "netmask")).netmaskBits();
            if (prefix < 0) throw error(r, written(r, "netmask"), "invalid netmask (not contiguous)");
        } else if (r.attribute("prefix").isPresent()) {
            prefix = number(attr(r, "prefix"));
            if (prefix > address.family().bits()) throw error(r, written(r, "prefix"), "invalid prefix " + prefix);
        } else {
            prefix = naturalPrefix(address);
            if (prefix < 0) throw error(r, written(r, "address"), "no netmask or prefix given for route '" + address + "'");
        }
        OptionalInt metric = r.attribute("metric").map(m -> OptionalInt.of(Integer.parseUnsignedInt(m.strip())))
                .orElse(OptionalInt.empty());
        return new Route(address, prefix, gateway, metric);
    }
}
