package org.vnetlab.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.conntrack.FastPath;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.lab.LibvirtHostLab;
import org.vnetlab.emulator.sim.CaptureSink;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.UdpSocket;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsType;

/**
 * The emulator as users run it ({@link LibvirtHostLab}): libvirt's stock default network started by the
 * emulated libvirtd (its iptables rules), Docker's rules added with iptables commands, a Debian guest that
 * got its address by DHCP, the host's IP stack (routing, neighbour cache, forwarding) with netfilter, the
 * router and the emulated internet. The guest opens {@code flows} UDP sockets and asks 8.8.8.8 a DNS
 * question from each, twice 3 s apart (the resolver answers: the flows are ASSURED). Then the router's LAN
 * port is made to count and drop what reaches it, and {@link #send} replays the guest's own frames: guest
 * NIC → link → vnet0 → bridge virbr0 → host stack → hooks → routing → MASQUERADE → enp3s0 → link → counted.
 */
final class LabHost {
    static final String DEFAULT_NETWORK = """
            <network>
              <name>default</name>
              <forward mode='nat'/>
              <bridge name='virbr0' stp='on' delay='0'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                </dhcp>
              </ip>
            </network>
            """;

    /** Docker's rules for docker0 (as dockerd adds them), typed on the host. */
    static final List<String> DOCKER = List.of(
            "iptables -t nat -N DOCKER",
            "iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
            "iptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
            "iptables -t nat -I POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
            "iptables -t nat -A DOCKER -i docker0 -j RETURN",
            "iptables -N DOCKER",
            "iptables -N DOCKER-ISOLATION-STAGE-1",
            "iptables -N DOCKER-ISOLATION-STAGE-2",
            "iptables -N DOCKER-USER",
            "iptables -I FORWARD 1 -j DOCKER-USER",
            "iptables -I FORWARD 2 -j DOCKER-ISOLATION-STAGE-1",
            "iptables -I FORWARD 3 -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "iptables -I FORWARD 4 -o docker0 -j DOCKER",
            "iptables -I FORWARD 5 -i docker0 ! -o docker0 -j ACCEPT",
            "iptables -I FORWARD 6 -i docker0 -o docker0 -j ACCEPT",
            "iptables -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2",
            "iptables -A DOCKER-ISOLATION-STAGE-1 -j RETURN",
            "iptables -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP",
            "iptables -A DOCKER-ISOLATION-STAGE-2 -j RETURN",
            "iptables -A DOCKER-USER -j RETURN");

    final LibvirtHostLab lab;
    final List<ByteBuf> frames = new ArrayList<>();
    long reachedRouter;

    LabHost(int flows) throws Exception {
        lab = LibvirtHostLab.builder(7).network(DEFAULT_NETWORK).build();
        for (String c : DOCKER) lab.host().iptables(c);
        Guest g = lab.addGuest("g", OsProfile.debian("g"), Workload.GUEST_MAC);
        lab.runFor(SimTime.seconds(30));
        Ipv4Address me = g.lease().orElseThrow(() -> new IllegalStateException("no DHCP lease")).address();
        int[] answers = new int[1];
        List<UdpSocket> sockets = new ArrayList<>();
        byte[] query = DnsMessage.query(1, "google.com", DnsType.A, true).toWire();
        String nic = g.nic().path();
        List<ByteBuf> sent = new ArrayList<>();
        boolean[] capturing = {true};
        CaptureSink tap = (path, t, dir, f) -> {
            if (capturing[0] && dir == CaptureSink.Direction.OUTBOUND && f.getUnsignedShort(f.readerIndex() + 12) == 0x0800
                    && f.getUnsignedByte(f.readerIndex() + 23) == 17) {
                sent.add(f.copy());
            }
        };
        lab.lab().addCaptureSink(nic, tap);
        // one query first, so that the guest and the host have resolved their next hops (ARP queues few packets)
        g.stack().openUdp().bind(me, 19999).sendTo(Ipv4Address.parse("8.8.8.8"), 53, query);
        lab.runFor(SimTime.seconds(1));
        sent.clear();
        for (int i = 0; i < flows; i++) {
            UdpSocket s = g.stack().openUdp().bind(me, 20000 + i).onReceive(d -> answers[0]++);
            sockets.add(s);
            s.sendTo(Ipv4Address.parse("8.8.8.8"), 53, query);
        }
        lab.runFor(SimTime.seconds(3));
        int firstRound = sent.size();
        for (UdpSocket s : sockets) s.sendTo(Ipv4Address.parse("8.8.8.8"), 53, query);
        lab.runFor(SimTime.seconds(1));
        if (answers[0] != 2 * flows) throw new IllegalStateException(answers[0] + " DNS answers for " + flows + " flows x 2");
        capturing[0] = false;
        frames.addAll(sent.subList(firstRound, sent.size()));
        if (frames.size() != flows) throw new IllegalStateException(frames.size() + " frames captured");
        // from now on the router's LAN port only counts: nothing travels on to the internet
        lab.router().lan().setReceiver((dev, f) -> reachedRouter++);
    }

    /** The guest sends frame {@code k} again (a copy: the stack rewrites it); runs the lab at this instant. */
    void send(int k) {
        ByteBuf f = frames.get(k);
        ByteBuf copy = Unpooled.buffer(f.readableBytes());
        copy.writeBytes(f, f.readerIndex(), f.readableBytes());
        lab.guest("g").nic().transmit(copy);
        lab.runFor(0);
    }

    FastPath fastPath() { return new FastPath(lab.host().conntrack()); }
}
