package org.vnetlab.emulator.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.MacAddress;

/** A host with a bridge and guests on tap ports, each guest logging what reaches its eth0. */
final class Rig {
    static final MacAddress VIRBR0 = MacAddress.parse("52:54:00:73:62:06");
    static final MacAddress BROADCAST = MacAddress.BROADCAST;

    /** libvirt's default network: {@code <bridge name='virbr0' stp='on' delay='0'/>}. */
    static BridgeConfig libvirtDefault() {
        return BridgeConfig.of("virbr0", VIRBR0).withForwardDelay(0).withStp(true);
    }

    static BridgeConfig stpOff() {
        return BridgeConfig.of("virbr0", VIRBR0).withForwardDelay(0).withStp(false);
    }

    final Lab lab;
    final Bridge br;
    /** Frames the bridge passed up to the host stack: "time dst src tag". */
    final List<String> host = new ArrayList<>();

    Rig(BridgeConfig config) {
        this(new Lab(7), config);
    }

    Rig(Lab lab, BridgeConfig config) {
        this.lab = lab;
        this.br = new Bridge(lab, "host", config);
        br.setReceiver((dev, f) -> host.add(describe(lab, f)));
        br.setUp(true);
    }

    final class Guest {
        final LinkDevice eth0;
        final LinkDevice vnet;
        final Link link;
        /** Frames reaching eth0, BPDUs aside. */
        final List<String> got = new ArrayList<>();
        final List<String> bpdus = new ArrayList<>();

        Guest(int n) {
            eth0 = new LinkDevice(lab, "guest" + n, "eth0", Rig.mac(n));
            vnet = new LinkDevice(lab, "host", "vnet" + (n - 1), MacAddress.parse(String.format(Locale.ROOT, "fe:54:00:aa:bb:%02x", n)));
            link = Link.connect(lab, "vnet" + (n - 1), eth0, vnet);
            eth0.setReceiver((dev, f) -> {
                if (MacAddress.read(f, f.readerIndex()).equals(Bpdu.GROUP_ADDRESS)) bpdus.add(lab.now() + " " + ByteBufUtil.hexDump(f));
                else got.add(describe(lab, f));
            });
            eth0.setUp(true);
            vnet.setUp(true);
            br.addPort(vnet);
        }

        MacAddress mac() { return eth0.mac(); }

        void send(MacAddress dst, int tag) { eth0.transmit(frame(dst, mac(), tag)); }

        BridgePort port() { return br.port(vnet.name()).orElseThrow(); }
    }

    Guest guest(int n) { return new Guest(n); }

    static MacAddress mac(int n) {
        return MacAddress.parse(String.format(Locale.ROOT, "52:54:00:aa:bb:%02x", n));
    }

    /** A 60-byte IPv4-typed frame whose first payload byte is {@code tag}. */
    static ByteBuf frame(MacAddress dst, MacAddress src, int tag) {
        ByteBuf f = Unpooled.buffer(60);
        f.writerIndex(60);
        dst.write(f, 0);
        src.write(f, 6);
        f.setShort(12, 0x0800);
        f.setByte(14, tag);
        return f;
    }

    static String describe(Lab lab, ByteBuf f) {
        return lab.now() + " " + MacAddress.read(f, f.readerIndex()) + " " + MacAddress.read(f, f.readerIndex() + 6)
                + " " + f.getUnsignedByte(f.readerIndex() + 14);
    }

    void run() { lab.scheduler().runUntilIdle(); }

    void runFor(long nanos) { lab.scheduler().runFor(nanos); }

    /** Runs until {@code t}, runs the action there, and what it causes at that same instant. */
    void at(long t, Runnable action) {
        lab.scheduler().runFor(t - lab.now());
        action.run();
        lab.scheduler().runFor(0);
    }
}
