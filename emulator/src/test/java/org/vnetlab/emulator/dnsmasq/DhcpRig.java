package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;

/** A DHCP server on virbr0 192.168.122.1/24 whose port records what it sends, and clients to talk to it. */
final class DhcpRig implements DhcpPort {
    static final ServedInterface VIRBR0 = new ServedInterface("virbr0", Ipv4Address.parse("192.168.122.1"), 24);
    static final MacAddress GUEST = MacAddress.parse("52:54:00:aa:bb:01");

    record Echo(long nanos, Ipv4Address source, Ipv4Address target, int identifier) {}
    record Sent(long nanos, DhcpReply reply) {
        DhcpMessage message() { return reply.message(); }
    }

    final Lab lab = new Lab(42);
    final DnsmasqLog log = new DnsmasqLog(lab.scheduler());
    final List<Sent> sent = new ArrayList<>();
    final List<Echo> echoes = new ArrayList<>();
    final DhcpServer server;
    /** Addresses that answer pings, as a guest holding them would. */
    final List<Ipv4Address> inUse = new ArrayList<>();

    DhcpRig(DnsmasqSettings settings) {
        this(settings, List.of());
    }

    DhcpRig(DnsmasqSettings settings, List<HostRecord> hosts) {
        server = new DhcpServer(lab, settings, VIRBR0, new LeaseDatabase(settings.dhcpLeaseMax()), hosts, log, this,
                lab.random("dnsmasq/virbr0"));
    }

    /** libvirt's default network as the reference host ran it: its dnsmasq-default.conf, empty side files. */
    static DnsmasqSettings.Builder defaultNetwork() {
        return Configurations.reference(java.util.Map.of()).toBuilder();
    }

    @Override
    public void send(DhcpReply reply) {
        sent.add(new Sent(lab.now(), reply));
    }

    @Override
    public void sendEcho(Ipv4Address source, Ipv4Address target, int identifier) {
        echoes.add(new Echo(lab.now(), source, target, identifier));
        if (inUse.contains(target)) {
            // the holder answers at once (20 bytes of data echoed: 28 bytes of ICMP)
            lab.scheduler().schedule(1_000_000, "echo-reply", () -> server.echoReply(target, identifier, 0, 28));
        }
    }

    void receive(byte[] payload) {
        server.receive(DhcpDatagram.broadcast(payload));
    }

    void receive(DhcpMessage m) {
        receive(m.toBytes());
    }

    /** Runs the lab until everything pending (ping waits) is done. */
    void settle() {
        lab.scheduler().runUntilIdle();
    }

    Sent last() {
        if (sent.isEmpty()) throw new AssertionError("nothing sent");
        return sent.get(sent.size() - 1);
    }

    // ---- clients ----

    static DhcpMessage.Builder client(MacAddress mac, int xid, DhcpMessageType type) {
        return DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).clientMac(mac).xid(xid)
                .option(new DhcpOption.MessageType(type));
    }

    static DhcpMessage discover(MacAddress mac, int xid) {
        return client(mac, xid, DhcpMessageType.DISCOVER)
                .option(new DhcpOption.ParameterRequestList(List.of(1, 3, 6, 12, 15, 28)))
                .option(new DhcpOption.End()).padTo(300).build();
    }

    static DhcpMessage select(MacAddress mac, int xid, Ipv4Address address) {
        return client(mac, xid, DhcpMessageType.REQUEST)
                .option(new DhcpOption.RequestedIpAddress(address))
                .option(new DhcpOption.ServerIdentifier(VIRBR0.address()))
                .option(new DhcpOption.ParameterRequestList(List.of(1, 3, 6, 12, 15, 28)))
                .option(new DhcpOption.End()).padTo(300).build();
    }

    /** DISCOVER, wait out the ping, REQUEST what was offered: the address acked. */
    Ipv4Address lease(MacAddress mac, int xid) {
        receive(discover(mac, xid));
        settle();
        Ipv4Address offered = last().message().yiaddr();
        receive(select(mac, xid, offered));
        settle();
        DhcpMessage ack = last().message();
        if (!ack.messageType().orElseThrow().equals(DhcpMessageType.ACK)) throw new AssertionError("no ACK: " + ack);
        return ack.yiaddr();
    }
}
