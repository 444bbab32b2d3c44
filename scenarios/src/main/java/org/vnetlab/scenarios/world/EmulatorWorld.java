package org.vnetlab.scenarios.world;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.hostconf.HostDump;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.internet.Internet;
import org.vnetlab.emulator.lab.LibvirtHostLab;
import org.vnetlab.emulator.libvirt.IpAddress;
import org.vnetlab.emulator.libvirt.driver.LibvirtError;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.link.NetDevice;
import org.vnetlab.emulator.router.RouterFault;
import org.vnetlab.emulator.sim.PcapngCaptureSink;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.Ipv4Assignment;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.pcap.PcapngWriter;
import org.vnetlab.scenarios.dump.DumpFolder;
import org.vnetlab.scenarios.expect.Observed;
import org.vnetlab.scenarios.run.CommandOutcome;
import org.vnetlab.scenarios.run.CommandRejected;
import org.vnetlab.scenarios.run.HostFacts;
import org.vnetlab.scenarios.run.World;
import org.vnetlab.scenarios.run.WorldFactory;
import org.vnetlab.scenarios.script.Topology;

/**
 * The emulated world of a {@code libvirt-default} topology, on the lab builder's {@link LibvirtHostLab}: the
 * host rebuilt from its dump with libvirtd and its networks running, guests plugged into the network
 * {@code default}, the LAN (router, one LAN machine) and the emulated internet; one lab, one seed, virtual
 * time. Commands go to the node's model: the host's shell, a guest's OS model, the router's and the
 * internet's fault switches.
 */
public final class EmulatorWorld implements World {
    /** How long the world may run at start for the guests to get their first leases. */
    static final long BOOT_NANOS = SimTime.seconds(120);

    private final LibvirtHostLab lab;
    private final HostShell hostShell;
    private final Map<String, Guest> guests = new LinkedHashMap<>();
    private final Map<String, Guest> lanHosts = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> assumptions = new ArrayList<>();
    private final Optional<PcapngCaptureSink> capture;
    private final Optional<OutputStream> captureFile;

    /** Builds worlds from topologies: the product's {@link WorldFactory}. */
    public static WorldFactory factory() {
        return EmulatorWorld::start;
    }

    public static World start(Topology t, Path folder, WorldFactory.Options options) throws InputException {
        Path dumpFolder = t.dump().map(folder::resolve).orElse(null);
        if (dumpFolder != null && !Files.isDirectory(dumpFolder)) {
            throw new InputException(t.pos().file(), t.pos().line(), t.pos().column(), t.dump().get(), "no such dump folder",
                    "dump= is relative to the scenario folder");
        }
        if (t.lanHosts().size() > 1) {
            Topology.LanHost extra = t.lanHosts().get(1);
            throw extra.pos().error(extra.name(), "the emulated LAN has one machine besides the host and the router",
                    "keep one lan=NAME[:ADDRESS]");
        }
        HostDump dump = DumpFolder.load(dumpFolder, t.files(), folder);
        return new EmulatorWorld(t, folder, dump, options);
    }

    private EmulatorWorld(Topology t, Path folder, HostDump dump, WorldFactory.Options options) throws InputException {
        try {
            lab = LibvirtHostLab.fromDump(dump, options.seed());
        } catch (LibvirtError e) {
            throw new InputException(t.pos().file(), t.pos().line(), t.pos().column(), t.dump().orElse("topology"),
                    "the dumped libvirt network cannot run: " + e.getMessage(), null);
        }
        Optional<OutputStream> file = Optional.empty();
        Optional<PcapngCaptureSink> sink = Optional.empty();
        if (options.pcap().isPresent()) {
            Path p = options.pcap().get();
            try {
                if (p.toAbsolutePath().getParent() != null) Files.createDirectories(p.toAbsolutePath().getParent());
                OutputStream out = Files.newOutputStream(p);
                file = Optional.of(out);
                PcapngCaptureSink s = new PcapngCaptureSink(new PcapngWriter(out, "vnetlab"));
                lab.lab().addCaptureSink(s);
                sink = Optional.of(s);
            } catch (IOException e) {
                throw new InputException(p.toString(), 0, 0, null, "cannot write the capture: " + e.getMessage(), null);
            }
        }
        capture = sink;
        captureFile = file;
        assumptions.addAll(lab.assumptions());
        hostShell = new HostShell(lab, dump, folder);

        nodes.add(new Node("host", Node.Kind.HOST, Optional.empty()));
        nodes.add(new Node("router", Node.Kind.ROUTER, Optional.empty()));
        nodes.add(new Node("internet", Node.Kind.INTERNET, Optional.empty()));
        for (Topology.LanHost lh : t.lanHosts()) {
            IpStack stack = lab.lanHost();
            NetDevice nic = stack.iface("eth0").orElseThrow().device();
            Ipv4Assignment now = stack.iface("eth0").orElseThrow().primaryAddresses().get(0);
            if (lh.address().isPresent() && !lh.address().get().equals(now.address())) {
                stack.removeAddress("eth0", now.address());
                stack.addAddress("eth0", Ipv4Assignment.of(lh.address().get(), now.prefixLength()));
                assumptions.add("LAN machine " + lh.name() + " is " + lh.address().get() + "/" + now.prefixLength() + " (lanhost/eth0).");
            }
            Ipv4Assignment a = stack.iface("eth0").orElseThrow().primaryAddresses().get(0);
            Ipv4Address gw = stack.routes().routes().stream().filter(r -> r.destination().isDefault()).findFirst()
                    .flatMap(r -> r.gateway()).orElse(a.address());
            Guest g = new Guest(lh.name(), OsProfile.debian(lh.name()), new HostNet(stack, nic,
                    () -> HostNet.config(a.address(), a.prefixLength(), gw, List.of())));
            lanHosts.put(lh.name(), g);
            nodes.add(new Node(lh.name(), Node.Kind.LAN_HOST, Optional.empty()));
        }
        for (Topology.Guest tg : t.guests()) {
            OsProfile profile = tg.os() == Topology.GuestOs.WINDOWS ? OsProfile.windows10(tg.name()) : OsProfile.debian(tg.name());
            try {
                guests.put(tg.name(), lab.addGuest(tg.name(), profile, tg.mac()));
            } catch (LibvirtError e) {
                throw tg.pos().error(tg.name(), "the guest cannot be plugged in: " + e.getMessage());
            }
            nodes.add(new Node(tg.name(), Node.Kind.GUEST, Optional.of(tg.os())));
        }
        if (!guests.isEmpty()) {
            lab.lab().scheduler().runUntil(() -> guests.values().stream().allMatch(g -> g.lease().isPresent()), BOOT_NANOS);
            for (Map.Entry<String, Guest> e : guests.entrySet()) {
                if (e.getValue().lease().isEmpty()) {
                    assumptions.add("Guest " + e.getKey() + " got no DHCP lease while booting (" + SimTime.format(BOOT_NANOS) + ").");
                }
            }
        }
    }

    @Override
    public List<Node> nodes() { return List.copyOf(nodes); }

    @Override
    public void check(String node, Command command) throws CommandRejected {
        switch (node) {
            case "host" -> hostShell.check(command);
            case "router" -> checkRouter(command);
            case "internet" -> checkInternet(command);
            default -> {
                if (guests.containsKey(node)) GuestCommands.check(guests.get(node), command);
                else if (lanHosts.containsKey(node)) GuestCommands.check(lanHosts.get(node), command);
                else throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "no node " + node);
            }
        }
    }

    @Override
    public CommandOutcome run(String node, Command command) throws CommandRejected {
        int before = lab.host().traces().size();
        Observed o = switch (node) {
            case "host" -> hostShell.run(command);
            case "router" -> runRouter(command);
            case "internet" -> runInternet(command);
            default -> GuestCommands.run(guests.containsKey(node) ? guests.get(node) : lanHosts.get(node), command);
        };
        List<Trace> all = lab.host().traces();
        return new CommandOutcome(o, all.subList(before, all.size()));
    }
    private static void checkRouter(Command c) throws CommandRejected {
        List<String> a = c.argv();
        if (!a.get(0).equals("fault")) throw new CommandRejected(0, "unknown router command", "fault add NAME, fault del NAME, fault list");
        if (a.size() < 2 || !List.of("add", "del", "list").contains(a.get(1))) {
            throw new CommandRejected(a.size() < 2 ? 0 : 1, "expected fault add, fault del or fault list");
        }
        if (a.get(1).equals("list")) return;
        if (a.size() < 3) throw new CommandRejected(1, "missing fault name", "drop-icmp, drop-prefix PREFIX, block-dns, blackhole, down");
        try {
            RouterFault.parse(String.join(" ", a.subList(2, a.size())));
        } catch (IllegalArgumentException e) {
            throw new CommandRejected(2, e.getMessage());
        }
    }

    private Observed runRouter(Command c) {
        List<String> a = c.argv();
        if (a.get(1).equals("list")) {
            StringBuilder sb = new StringBuilder();
            for (RouterFault f : lab.router().faults()) sb.append(f.name()).append('\n');
            return org.vnetlab.scenarios.world.Shell.ok(sb.toString());
        }
        String fault = String.join(" ", a.subList(2, a.size()));
        if (a.get(1).equals("add")) lab.router().enable(fault);
        else lab.router().disable(fault);
        return org.vnetlab.scenarios.world.Shell.ok("");
    }

    private void checkInternet(Command c) throws CommandRejected {
        List<String> a = c.argv();
        if (!List.of("down", "up").contains(a.get(0)) || a.size() != 2) {
            throw new CommandRejected(0, "unknown internet command", "down ADDRESS, up ADDRESS (a host of the emulated internet)");
        }
        try {
            Ipv4Address addr = Ipv4Address.parse(a.get(1));
            Internet internet = lab.internet();
            if (internet.host(addr).isEmpty()) throw new CommandRejected(1, "no host of the emulated internet has this address",
                    "hosts: " + String.join(", ", internet.hosts().stream().map(h -> h.address().toString()).toList()));
        } catch (IllegalArgumentException e) {
            throw new CommandRejected(1, "not an IPv4 address");
        }
    }

    private Observed runInternet(Command c) {
        lab.internet().setDown(Ipv4Address.parse(c.argv().get(1)), c.argv().get(0).equals("down"));
        return org.vnetlab.scenarios.world.Shell.ok("");
    }

    @Override
    public void advance(long nanos) { lab.lab().scheduler().runFor(nanos); }

    @Override
    public long now() { return lab.lab().now(); }

    @Override
    public HostFacts facts() {
        NetworkDefinition def;
        try {
            def = lab.host().libvirtd().definition("default");
        } catch (LibvirtError e) {
            throw new IllegalStateException("the lab has no network 'default': " + e.getMessage(), e);
        }
        Ipv4Address bridgeAddress = Ipv4Address.parse("192.168.122.1");
        int prefix = 24;
        for (NetworkDefinition.IpDefinition ip : def.ips()) {
            if (ip.address() instanceof IpAddress.V4 v4) {
                bridgeAddress = v4.address();
                prefix = ip.prefix();
                break;
            }
        }
        var dflt = lab.host().stack().routes().routes().stream().filter(r -> r.destination().isDefault()).findFirst();
        return new HostFacts(def.name(), def.forward().mode().xmlName(), def.bridgeName().orElse("virbr0"), bridgeAddress, prefix,
                dflt.flatMap(r -> r.gateway()), dflt.flatMap(r -> r.dev()));
    }

    @Override
    public List<String> assumptions() { return List.copyOf(assumptions); }

    @Override
    public void close() {
        try {
            if (capture.isPresent()) capture.get().close();
            if (captureFile.isPresent()) captureFile.get().close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot finish the capture", e);
        }
    }
}
