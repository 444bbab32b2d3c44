package org.vnetlab.emulator.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;

/**
 * How one DHCP client writes its messages: which options, in which order, with which values, and the IP
 * header it puts around them (these clients send from a packet socket and fill the header themselves).
 * All three pad the BOOTP message to 300 bytes, the BOOTP minimum (RFC 1542 2.1).
 */
public enum DhcpFlavor {

    /**
     * Windows 10's DHCP client (dhcpcsvc). Options as Windows 10 sends them (fingerbank's "Microsoft Windows
     * Kernel 10.0" fingerprint: vendor class "MSFT 5.0", request list 1,3,6,15,31,33,43,44,46,47,119,121,249,252);
     * client-id type 1 + MAC; host name; the FQDN option (81) in REQUEST only, flags 0 (the client updates its
     * own A record), rcodes 0, name in ASCII. IP: TTL 128 (DefaultTTL), TOS 0, no DF, IP ID from the stack's
     * counter (Windows DISCOVERs show non-zero IDs, e.g. 938 in a Network Monitor trace).
     * Broadcast flag: Windows 7 and later start with 0 and toggle to 1 after four unanswered DISCOVERs
     * (Microsoft DHCP team blog, "DHCP Broadcast flag handling in Windows 7", 2009).
     */
    WINDOWS_10 {
        @Override List<Integer> requestList() { return List.of(1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252); }

        @Override List<DhcpOption> options(DhcpMessageType type, Params p) {
            List<DhcpOption> o = new ArrayList<>();
            o.add(new DhcpOption.MessageType(type));
            if (type != DhcpMessageType.RELEASE) o.add(new DhcpOption.MaxMessageSize(1500));
            o.add(DhcpOption.ClientIdentifier.of(p.mac()));
            if (type == DhcpMessageType.RELEASE) {
                o.add(new DhcpOption.ServerIdentifier(p.server().orElseThrow()));
                return o;
            }
            p.requested().ifPresent(a -> o.add(new DhcpOption.RequestedIpAddress(a)));
            if (type == DhcpMessageType.REQUEST) p.server().ifPresent(s -> o.add(new DhcpOption.ServerIdentifier(s)));
            o.add(new DhcpOption.HostName(p.hostname()));
            if (type == DhcpMessageType.REQUEST) o.add(new DhcpOption.ClientFqdn(0, 0, 0, p.hostname()));
            o.add(new DhcpOption.VendorClassId("MSFT 5.0"));
            o.add(new DhcpOption.ParameterRequestList(requestList()));
            return o;
        }

        @Override Ipv4Header ipHeader(Ipv4Address source, Ipv4Address destination, int udpLength, int ipId) {
            return new Ipv4Header(0, ipId, false, false, 0, 128, IpProtocol.UDP, source, destination, new byte[0], udpLength);
        }

        @Override public String vendorClass() { return "MSFT 5.0"; }

        @Override public ClientPort clientPort() { return ClientPort.SERVICE; }
    },

    /**
     * busybox udhcpc 1.35.0, byte for byte as in the reference capture (guest-eth0.pcap): DISCOVER options
     * 53, 57 (576), 55 (1,3,6,12,15,28,42), 60 "udhcp 1.35.0", 61 (type 1 + MAC); REQUEST 53, 50, 54, 57, 55,
     * 60, 61. IP: TTL 64, TOS 0, ID 0, no DF; flags 0; secs counts from the first DISCOVER.
     */
    UDHCPC {
        @Override List<Integer> requestList() { return List.of(1, 3, 6, 12, 15, 28, 42); }

        @Override List<DhcpOption> options(DhcpMessageType type, Params p) {
            List<DhcpOption> o = new ArrayList<>();
            o.add(new DhcpOption.MessageType(type));
            if (type == DhcpMessageType.RELEASE) {
                o.add(new DhcpOption.ServerIdentifier(p.server().orElseThrow()));
                o.add(DhcpOption.ClientIdentifier.of(p.mac()));
                return o;
            }
            if (type == DhcpMessageType.REQUEST) {
                p.requested().ifPresent(a -> o.add(new DhcpOption.RequestedIpAddress(a)));
                p.server().ifPresent(s -> o.add(new DhcpOption.ServerIdentifier(s)));
            }
            o.add(new DhcpOption.MaxMessageSize(576));
            o.add(new DhcpOption.ParameterRequestList(requestList()));
            o.add(new DhcpOption.VendorClassId(vendorClass()));
            o.add(DhcpOption.ClientIdentifier.of(p.mac()));
            return o;
        }

        @Override Ipv4Header ipHeader(Ipv4Address source, Ipv4Address destination, int udpLength, int ipId) {
            return new Ipv4Header(0, 0, false, false, 0, 64, IpProtocol.UDP, source, destination, new byte[0], udpLength);
        }

        @Override public String vendorClass() { return "udhcp 1.35.0"; }

        @Override public ClientPort clientPort() { return ClientPort.RENEWING; }
    },

    /**
     * ISC dhclient 4.4 with Debian's dhclient.conf ("send host-name = gethostname()" and its request list
     * subnet-mask, broadcast-address, time-offset, routers, domain-name, domain-name-servers, domain-search,
     * host-name, netbios-name-servers, netbios-scope, interface-mtu, rfc3442-classless-static-routes,
     * ntp-servers). No client-id, no vendor class. IP header as ISC's assemble_udp_ip_header writes it:
     * TOS 0x10 (IPTOS_LOWDELAY), ID 0, TTL 128.
     */
    ISC_DHCLIENT {
        @Override List<Integer> requestList() { return List.of(1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42); }

        @Override List<DhcpOption> options(DhcpMessageType type, Params p) {
            List<DhcpOption> o = new ArrayList<>();
            o.add(new DhcpOption.MessageType(type));
            if (type == DhcpMessageType.RELEASE) {
                o.add(new DhcpOption.ServerIdentifier(p.server().orElseThrow()));
                return o;
            }
            if (type == DhcpMessageType.REQUEST) p.server().ifPresent(s -> o.add(new DhcpOption.ServerIdentifier(s)));
            p.requested().ifPresent(a -> o.add(new DhcpOption.RequestedIpAddress(a)));
            o.add(new DhcpOption.HostName(p.hostname()));
            o.add(new DhcpOption.ParameterRequestList(requestList()));
            return o;
        }

        @Override Ipv4Header ipHeader(Ipv4Address source, Ipv4Address destination, int udpLength, int ipId) {
            return new Ipv4Header(0x10, 0, false, false, 0, 128, IpProtocol.UDP, source, destination, new byte[0], udpLength);
        }

        @Override public String vendorClass() { return ""; }

        @Override public ClientPort clientPort() { return ClientPort.DAEMON; }
    };

    /**
     * When the client holds a kernel UDP socket on port 68. It matters on the wire: a unicast reply to port 68
     * (dnsmasq answers a unicast RENEW or a ciaddr'd REQUEST at the client's address) that meets no socket
     * draws an ICMP port unreachable from the guest's kernel; a packet socket does not stop that, as the
     * kernel hands packet sockets a copy and goes on with its own processing of the frame.
     */
    public enum ClientPort {
        /**
         * Windows' DHCP Client service (Dhcp, in svchost) keeps UDP 0.0.0.0:68 bound while it runs, which is
         * always: {@code netstat -ano} lists it on every Windows machine.
         */
        SERVICE,
        /**
         * ISC dhclient on Linux receives and broadcasts through LPF (a packet socket), and besides opens its
         * "fallback" UDP socket, bound to INADDR_ANY port 68 with SO_REUSEADDR ("Sending on Socket/fallback"),
         * through which it sends unicast (RENEW, RELEASE) and which it reads too; it is open for the process's
         * lifetime. dhclient backgrounds after a lease, and also after a failed first round unless {@code -1};
         * {@code -r} (release) and {@code -x} (stop) end the running daemon, and with it the socket.
         */
        DAEMON,
        /**
         * busybox udhcpc switches its one socket by state (change_listen_mode in dhcpc.c): a raw packet socket
         * while INIT_SELECTING/REQUESTING and REBINDING, a kernel UDP socket bound to port 68 (on the
         * interface) while RENEWING, and none once BOUND. So a stray unicast to port 68 of a bound udhcpc
         * guest gets ICMP port unreachable. (Its unicast OFFER and ACK come while it has no address yet: the
         * kernel drops them as not local, counting InAddrErrors, after the raw socket took its copy.)
         */
        RENEWING
    }

    /** When this client holds UDP port 68 open. */
    public abstract ClientPort clientPort();

    /** The BOOTP minimum message length these clients pad to. */
    public static final int MINIMUM_LENGTH = 300;

    /** What varies between one client message and the next. */
    public record Params(int xid, int secs, boolean broadcastFlag, MacAddress mac, String hostname,
                         Ipv4Address ciaddr, Optional<Ipv4Address> requested, Optional<Ipv4Address> server) { }

    /** The parameter request list (option 55) this client sends. */
    abstract List<Integer> requestList();

    abstract List<DhcpOption> options(DhcpMessageType type, Params p);

    /** The IP header this client writes around a UDP datagram of {@code udpLength} bytes. */
    abstract Ipv4Header ipHeader(Ipv4Address source, Ipv4Address destination, int udpLength, int ipId);

    /** Option 60 as sent, empty when the client sends none. */
    public abstract String vendorClass();

    /** The parameter request list as a public, read-only fact. */
    public List<Integer> parameterRequestList() { return requestList(); }

    /** A client message of the given type (DISCOVER, REQUEST, RELEASE). */
    public DhcpMessage message(DhcpMessageType type, Params p) {
        DhcpMessage.Builder b = DhcpMessage.builder()
                .xid(p.xid()).secs(p.secs()).broadcast(p.broadcastFlag()).clientMac(p.mac()).ciaddr(p.ciaddr())
                .options(options(type, p)).option(new DhcpOption.End());
        return b.padTo(MINIMUM_LENGTH).build();
    }
}
