package org.vnetlab.emulator.libvirt.driver;

import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DhcpHost;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DhcpRange;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Dns;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsForwarder;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsHost;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsSrv;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsTxt;
import org.vnetlab.emulator.libvirt.NetworkDefinition.ForwardMode;
import org.vnetlab.emulator.libvirt.NetworkDefinition.IpDefinition;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Lease;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Route;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Tristate;
import org.vnetlab.emulator.libvirt.xml.XmlAttribute;
import org.vnetlab.emulator.libvirt.xml.XmlElement;
import org.vnetlab.emulator.libvirt.xml.XmlNode;
import org.vnetlab.emulator.libvirt.xml.XmlText;

/**
 * libvirt's {@code virNetworkDefFormat}: the XML {@code net-dumpxml} prints, re-serialised from the parsed
 * definition, not the user's text. Two-space indentation, single-quoted attributes in libvirt's order, elements
 * in libvirt's order (name, uuid, title, description, metadata, forward, bridge, mtu, mac, domain, dns, vlan,
 * bandwidth, port, ip, route, virtualport, portgroup, dnsmasq:options) whatever order the input had; defaults
 * made explicit ({@code stp='on' delay='0'}); {@code connections} only in live XML and only when non-zero.
 *
 * <p>What the model does not keep comes from the stored document: how each {@code <ip>} gave its mask
 * ({@code netmask} or {@code prefix}) and {@code family}, and elements kept whole ({@code title},
 * {@code description}, {@code metadata}, {@code bandwidth}, {@code vlan}, {@code virtualport},
 * {@code portgroup}), which are printed with their attributes in document order.
 */
final class NetworkXmlFormatter {
    private final StringBuilder out = new StringBuilder();
    private int indent;

    private NetworkXmlFormatter() {}

    /**
     * @param source the stored (pruned) document the definition was built from
     * @param inactive {@code --inactive}: no runtime attributes
     * @param connections guest interfaces plugged into the network (live XML only)
     */
    static String format(NetworkDefinition def, XmlElement source, boolean inactive, int connections) {
        return new NetworkXmlFormatter().network(def, source, inactive, connections);
    }

    private String network(NetworkDefinition def, XmlElement src, boolean inactive, int connections) {
        StringBuilder open = new StringBuilder("<network");
        if (!def.dnsmasqOptions().isEmpty()) open.append(" xmlns:dnsmasq='").append(LenientNetworkXml.DNSMASQ_NS).append('\'');
        if (!inactive && connections > 0) open.append(" connections='").append(connections).append('\'');
        if (def.ipv6NoGateway()) open.append(" ipv6='yes'");
        src.attribute("trustGuestRxFilters").ifPresent(v -> open.append(" trustGuestRxFilters='").append(v).append('\''));
        line(open.append('>').toString());
        indent += 2;
        line("<name>" + esc(def.name()) + "</name>");
        line("<uuid>" + def.uuid().orElseThrow() + "</uuid>");
        src.element("title").ifPresent(e -> line("<title>" + esc(e.text()) + "</title>"));
        src.element("description").ifPresent(e -> line("<description>" + esc(e.text()) + "</description>"));
        src.element("metadata").ifPresent(this::verbatim);
        forward(def, src);
        if (def.forward().mode().virtual() || def.bridge().isPresent()) bridge(def);
        def.mtu().ifPresent(m -> line("<mtu size='" + m + "'/>"));
        def.mac().ifPresent(m -> line("<mac address='" + m + "'/>"));
        def.domain().ifPresent(d -> line("<domain name='" + esc(d.name()) + "'"
                + (d.localOnly() == Tristate.ABSENT ? "" : " localOnly='" + yesNo(d.localOnly()) + "'") + "/>"));
        dns(def.dns());
        src.element("vlan").ifPresent(this::verbatim);
        src.element("bandwidth").ifPresent(this::verbatim);
        if (def.portIsolated() != Tristate.ABSENT) line("<port isolated='" + yesNo(def.portIsolated()) + "'/>");
        List<XmlElement> ipElements = src.elements("ip");
        for (int i = 0; i < def.ips().size(); i++) ip(def.ips().get(i), ipElements.get(i));
        List<XmlElement> routeElements = src.elements("route");
        for (int i = 0; i < def.routes().size(); i++) route(def.routes().get(i), routeElements.get(i));
        src.element("virtualport").ifPresent(this::verbatim);
        for (XmlElement pg : src.elements("portgroup")) verbatim(pg);
        if (!def.dnsmasqOptions().isEmpty()) {
            line("<dnsmasq:options>");
            indent += 2;
            for (String o : def.dnsmasqOptions()) line("<dnsmasq:option value='" + esc(o) + "'/>");
            indent -= 2;
            line("</dnsmasq:options>");
        }
        indent -= 2;
        line("</network>");
        return out.toString();
    }

    private void forward(NetworkDefinition def, XmlElement src) {
        NetworkDefinition.Forward f = def.forward();
        if (f.mode() == ForwardMode.NONE) return;
        Optional<XmlElement> fe = src.element("forward");
        List<XmlElement> pfs = fe.map(e -> e.elements("pf")).orElse(List.of());
        Optional<XmlElement> driver = fe.flatMap(e -> e.element("driver"));
        // libvirt's parser turns forward dev= into the first (and only) <interface> of the pool
        List<String> interfaces = !f.interfaces().isEmpty() ? f.interfaces() : f.dev().map(List::of).orElse(List.of());
        StringBuilder open = new StringBuilder("<forward");
        if (pfs.isEmpty() && !interfaces.isEmpty()) open.append(" dev='").append(esc(interfaces.get(0))).append('\'');
        open.append(" mode='").append(f.mode().xmlName()).append('\'');
        if (f.mode() == ForwardMode.HOSTDEV) {
            open.append(fe.flatMap(e -> e.attribute("managed")).map("yes"::equals).orElse(false) ? " managed='yes'" : " managed='no'");
        }
        boolean natContent = f.mode() == ForwardMode.NAT
                && (f.natAddresses().isPresent() || f.natPorts().isPresent() || f.natIpv6() != Tristate.ABSENT);
        boolean shortForm = interfaces.isEmpty() && pfs.isEmpty() && !natContent && driver.isEmpty();
        line(open + (shortForm ? "/>" : ">"));
        if (shortForm) return;
        indent += 2;
        driver.ifPresent(d -> line("<driver name='" + esc(d.attribute("name").orElse("")) + "'/>"));
        if (natContent) {
            String ipv6 = f.natIpv6() == Tristate.ABSENT ? "" : " ipv6='" + yesNo(f.natIpv6()) + "'";
            if (f.natAddresses().isEmpty() && f.natPorts().isEmpty()) {
                line("<nat" + ipv6 + "/>");
            } else {
                line("<nat" + ipv6 + ">");
                indent += 2;
                f.natAddresses().ifPresent(r -> line("<address start='" + r.start() + "' end='" + r.end() + "'/>"));
                f.natPorts().ifPresent(p -> line("<port start='" + p.start() + "'" + (p.end() != 0 ? " end='" + p.end() + "'" : "") + "/>"));
                indent -= 2;
                line("</nat>");
            }
        }
        if (!pfs.isEmpty()) line("<pf dev='" + esc(pfs.get(0).attribute("dev").orElse("")) + "'/>");
        else for (String dev : interfaces) line("<interface dev='" + esc(dev) + "'/>");
        indent -= 2;
        line("</forward>");
    }

    private void bridge(NetworkDefinition def) {
        NetworkDefinition.Bridge b = def.bridge().orElse(new NetworkDefinition.Bridge(Optional.empty(), Optional.empty(),
                Optional.empty(), java.util.OptionalLong.empty(), Optional.empty()));
        StringBuilder sb = new StringBuilder("<bridge");
        b.name().ifPresent(n -> sb.append(" name='").append(esc(n)).append('\''));
        b.zone().ifPresent(z -> sb.append(" zone='").append(esc(z)).append('\''));
        if (def.forward().mode().virtual()) {
            // libvirt's parser turns STP on unless the attribute says "off", and the delay defaults to 0
            sb.append(" stp='").append(b.stp().orElse(true) ? "on" : "off").append('\'');
            sb.append(" delay='").append(b.delay().orElse(0)).append('\'');
        }
        b.macTableManager().ifPresent(m -> sb.append(" macTableManager='").append(esc(m)).append('\''));
        line(sb.append("/>").toString());
    }

    private void dns(Dns dns) {
        boolean content = !dns.forwarders().isEmpty() || !dns.hosts().isEmpty() || !dns.srvs().isEmpty() || !dns.txts().isEmpty();
        if (dns.enable() == Tristate.ABSENT && dns.forwardPlainNames() == Tristate.ABSENT && !content) return;
        StringBuilder sb = new StringBuilder("<dns");
        if (dns.enable() != Tristate.ABSENT) sb.append(" enable='").append(yesNo(dns.enable())).append('\'');
        if (dns.forwardPlainNames() != Tristate.ABSENT) {
            sb.append(" forwardPlainNames='").append(yesNo(dns.forwardPlainNames())).append('\'');
        }
        if (!content) {
            line(sb.append("/>").toString());
            return;
        }
        line(sb.append('>').toString());
        indent += 2;
        for (DnsForwarder f : dns.forwarders()) {
            line("<forwarder" + f.domain().map(d -> " domain='" + esc(d) + "'").orElse("")
                    + f.address().map(a -> " addr='" + a + "'").orElse("") + "/>");
        }
        for (DnsTxt t : dns.txts()) line("<txt name='" + esc(t.name()) + "' value='" + esc(t.value()) + "'/>");
        for (DnsSrv s : dns.srvs()) {
            line("<srv service='" + esc(s.service()) + "' protocol='" + esc(s.protocol()) + "'"
                    + s.domain().map(d -> " domain='" + esc(d) + "'").orElse("")
                    + s.target().map(t -> " target='" + esc(t) + "'").orElse("")
                    + (s.port() != 0 ? " port='" + s.port() + "'" : "")
                    + (s.priority() != 0 ? " priority='" + s.priority() + "'" : "")
                    + (s.weight() != 0 ? " weight='" + s.weight() + "'" : "") + "/>");
        }
        for (DnsHost h : dns.hosts()) {
            line("<host ip='" + h.ip() + "'>");
            indent += 2;
            for (String n : h.hostnames()) line("<hostname>" + esc(n) + "</hostname>");
            indent -= 2;
            line("</host>");
        }
        indent -= 2;
        line("</dns>");
    }

    private void ip(IpDefinition ip, XmlElement src) {
        StringBuilder sb = new StringBuilder("<ip");
        src.attribute("family").ifPresent(f -> sb.append(" family='").append(esc(f)).append('\''));
        sb.append(" address='").append(ip.address()).append('\'');
        if (src.attribute("netmask").isPresent()) {
            sb.append(" netmask='").append(org.vnetlab.emulator.libvirt.IpAddress.V4.netmask(ip.prefix())).append('\'');
        } else if (src.attribute("prefix").isPresent() && ip.prefix() > 0) {
            sb.append(" prefix='").append(ip.prefix()).append('\'');
        }
        if (ip.localPtr() != Tristate.ABSENT) sb.append(" localPtr='").append(yesNo(ip.localPtr())).append('\'');
        line(sb.append('>').toString());
        indent += 2;
        ip.tftpRoot().ifPresent(r -> line("<tftp root='" + esc(r) + "'/>"));
        if (ip.hasDhcp()) {
            line("<dhcp>");
            indent += 2;
            for (DhcpRange r : ip.ranges()) withLease("<range start='" + r.start() + "' end='" + r.end() + "'", "range", r.lease());
            for (DhcpHost h : ip.hosts()) {
                withLease("<host" + h.mac().map(m -> " mac='" + m + "'").orElse("")
                        + h.id().map(i -> " id='" + esc(i) + "'").orElse("")
                        + h.name().map(n -> " name='" + esc(n) + "'").orElse("")
                        + " ip='" + h.ip() + "'", "host", h.lease());
            }
            ip.bootp().ifPresent(b -> line("<bootp file='" + esc(b.file()) + "'"
                    + b.server().map(s -> " server='" + s + "'").orElse("") + "/>"));
            indent -= 2;
            line("</dhcp>");
        }
        indent -= 2;
        line("</ip>");
    }

    private void withLease(String open, String name, Optional<Lease> lease) {
        if (lease.isEmpty()) {
            line(open + "/>");
            return;
        }
        line(open + ">");
        indent += 2;
        Lease l = lease.get();
        line(l.infinite() ? "<lease expiry='0'/>"
                : "<lease expiry='" + l.expiry() + "' unit='" + l.unit().name().toLowerCase(java.util.Locale.ROOT) + "'/>");
        indent -= 2;
        line("</" + name + ">");
    }

    /** virNetDevIPRouteFormat: family and the mask form as given, metric only when positive. */
    private void route(Route r, XmlElement src) {
        StringBuilder sb = new StringBuilder("<route");
        src.attribute("family").ifPresent(f -> sb.append(" family='").append(esc(f)).append('\''));
        sb.append(" address='").append(r.address()).append('\'');
        if (src.attribute("netmask").isPresent()) {
            sb.append(" netmask='").append(org.vnetlab.emulator.libvirt.IpAddress.V4.netmask(r.prefix())).append('\'');
        } else if (src.attribute("prefix").isPresent()) {
            sb.append(" prefix='").append(r.prefix()).append('\'');
        }
        sb.append(" gateway='").append(r.gateway()).append('\'');
        if (r.metric().isPresent() && r.metric().getAsInt() > 0) sb.append(" metric='").append(r.metric().getAsInt()).append('\'');
        line(sb.append("/>").toString());
    }

    /** An element libvirt keeps whole: re-indented, attributes in document order, blank text dropped. */
    private void verbatim(XmlElement e) {
        StringBuilder sb = new StringBuilder("<").append(e.qName());
        for (XmlAttribute a : e.attributes()) sb.append(' ').append(a.qName()).append("='").append(esc(a.value())).append('\'');
        List<XmlElement> kids = e.elements();
        if (kids.isEmpty()) {
            String text = e.text();
            line(text.isEmpty() ? sb.append("/>").toString() : sb.append('>').append(esc(text)).append("</").append(e.qName()).append('>').toString());
            return;
        }
        line(sb.append('>').toString());
        indent += 2;
        for (XmlNode n : e.children()) {
            if (n instanceof XmlElement c) verbatim(c);
            else if (n instanceof XmlText t && !t.isWhitespace()) line(esc(t.text().strip()));
        }
        indent -= 2;
        line("</" + e.qName() + ">");
    }

    private static String yesNo(Tristate t) {
        return t == Tristate.YES ? "yes" : "no";
    }

    /** virBufferEscapeString's XML escaping. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '\'' -> sb.append("&apos;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private void line(String s) {
        out.append(" ".repeat(indent)).append(s).append('\n');
    }
}
