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
import org.vnetlab.emulator.bridge.Bridge;
import org.vnetlab.emulator.bridge.BridgeConfig;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.Nexthop;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.internet.Internet;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.router.Router;
import org.vnetlab.emulator.router.RouterFault;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.PcapngCaptureSink;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.Ipv4Assignment;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.pcap.PcapngWriter;
import org.vnetlab.scenarios.dump.DumpReader;
import org.vnetlab.scenarios.dump.DumpedHost;
import org.vnetlab.scenarios.expect.Observed;
import org.vnetlab.scenarios.run.CommandOutcome;
import org.vnetlab.scenarios.run.CommandRejected;
import org.vnetlab.scenarios.run.HostFacts;
import org.vnetlab.scenarios.run.World;
import org.vnetlab.scenarios.run.WorldFactory;
import org.vnetlab.scenarios.script.Topology;

/**
 * The emulated world of a {@code libvirt-default} topology: the host rebuilt from its dump, guests on its
 * libvirt bridge, the LAN (router, and LAN machines when asked for), the emulated internet; one lab, one
 * seed, virtual time. Commands go to the node's model: the host's shell, a guest's OS model, the router's
 * and the internet's fault switches.
 */
public final class EmulatorWorld implements World {
    /** How long the world may run at start for the guests to get their first leases. */
    static final long BOOT_NANOS = SimTime.seconds(120);

    private final Lab lab;
    private final HostMachine host;
    private final HostShell hostShell;
    private final Router router;
    private final Internet internet;
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
        DumpedHost dump = DumpReader.read(dumpFolder, t.files(), folder);
        return new EmulatorWorld(t, folder, dump, options);
    }

    private EmulatorWorld(Topology t, Path folder, DumpedHost dump, WorldFactory.Options options) throws InputException {
        lab = new Lab(options.seed());
        Optional<OutputStream> file = Optional.empty();
        Optional<PcapngCaptureSink> sink = Optional.empty();
        if (options.pcap().isPresent()) {
            Path p = options.pcap().get();
            try {
                if (p.toAbsolutePath().getParent() != null) Files.createDirectories(p.toAbsolutePath().getParent());
                OutputStream out = Files.newOutputStream(p);
                file = Optional.of(out);
                PcapngCaptureSink s = new PcapngCaptureSink(new PcapngWriter(out, "vnetlab"));
                lab.addCaptureSink(s);
                sink = Optional.of(s);
            } catch (IOException e) {
                throw new InputException(p.toString(), 0, 0, null, "cannot write the capture: " + e.getMessage(), null);
            }
        }
        capture = sink;
        captureFile = file;
        assumptions.addAll(dump.assumptions());
        for (String n : dump.notes()) assumptions.add("Dump: " + n + ".");

        host = new HostMachine(lab, dump, options.seed());
        hostShell = new HostShell(host, folder);
        DumpedHost.Uplink up = dump.uplink();
        Ipv4Assignment routerLan = Ipv4Assignment.of(up.gateway(), up.prefixLength());
        router = new Router(lab, new Router.Config(routerLan, Router.DEFAULT_LAN_MAC, Ipv4Assignment.parse("203.0.113.2/30"),
                Router.DEFAULT_WAN_MAC, Internet.DEFAULT_ADDRESS));
        internet = Internet.withDefaults(lab);
        // the internet is a few milliseconds away, as in the guest model's reference rig
        Link.connect(lab, "wan", router.wan(), internet.device(),
                org.vnetlab.emulator.link.LinkProperties.IDEAL.withLatency(SimTime.millis(5)));

        nodes.add(new Node("host", Node.Kind.HOST, Optional.empty()));
        nodes.add(new Node("router", Node.Kind.ROUTER, Optional.empty()));
        nodes.add(new Node("internet", Node.Kind.INTERNET, Optional.empty()));

        if (t.lanHosts().isEmpty()) {
            Link.connect(lab, "lan", host.uplink, router.lan());
        } else {
            // a switch joins the host, the router and the LAN machines
            Bridge lanSwitch = new Bridge(lab, "lan", BridgeConfig.of("switch", MacAddress.parse("02:00:00:00:5e:01")).withStp(false));
            int port = 0;
            port = connect(lanSwitch, port, host.uplink);
            port = connect(lanSwitch, port, router.lan());
            lanSwitch.setUp(true);
            Ipv4Prefix lan = Ipv4Prefix.containing(up.address(), up.prefixLength());
            int next = 50;
            for (Topology.LanHost lh : t.lanHosts()) {
                Ipv4Address a = lh.address().orElse(null);
                while (a == null || a.equals(up.address()) || a.equals(up.gateway())) a = new Ipv4Address(lan.network().bits() + next++);
                MacAddress mac = MacAddress.parse(String.format("00:16:3e:00:00:%02x", lanHosts.size() + 1));
                Guest g = Guest.create(lab, lh.name(), OsProfile.debian(lh.name()), mac);
                port = connect(lanSwitch, port, g.nic());
                g.stack().addAddress(g.nic().name(), Ipv4Assignment.of(a, up.prefixLength()));
                g.stack().addDefaultRoute(up.gateway(), g.nic().name(), 0);
                g.stack().addRoute(Route.unicast(Ipv4Prefix.containing(host.bridgeAddress(), host.bridgePrefix()),
                        Nexthop.via(up.address(), g.nic().name()), 0));
                lanHosts.put(lh.name(), g);
                nodes.add(new Node(lh.name(), Node.Kind.LAN_HOST, Optional.empty()));
                assumptions.add("LAN machine " + lh.name() + " is " + a + "/" + up.prefixLength() + ", with a route to "
                        + Ipv4Prefix.containing(host.bridgeAddress(), host.bridgePrefix()) + " via the host (" + up.address() + ").");
            }
        }

        int tap = 0;
        for (Topology.Guest tg : t.guests()) {
            OsProfile profile = tg.os() == Topology.GuestOs.WINDOWS ? OsProfile.windows10(tg.name()) : OsProfile.debian(tg.name());
            Guest g = Guest.create(lab, tg.name(), profile, tg.mac());
            byte[] m = tg.mac().toString().isEmpty() ? new byte[6] : macBytes(tg.mac());
            m[0] = (byte) 0xfe; // libvirt gives a guest's tap the guest's MAC with fe: in front
            LinkDevice dev = new LinkDevice(lab, "host", "vnet" + tap, MacAddress.parse(macText(m)));
            Link.connect(lab, "vnet" + tap, g.nic(), dev);
            dev.setUp(true);
            host.taps.put(tg.name(), dev);
            host.plugged.put(tg.name(), false);
            host.plug(tg.name());
            guests.put(tg.name(), g);
            nodes.add(new Node(tg.name(), Node.Kind.GUEST, Optional.of(tg.os())));
            tap++;
        }
        for (Guest g : guests.values()) g.startDhcp();
        if (!guests.isEmpty()) {
            lab.scheduler().runUntil(() -> guests.values().stream().allMatch(g -> g.lease().isPresent()), BOOT_NANOS);
            for (Map.Entry<String, Guest> e : guests.entrySet()) {
                if (e.getValue().lease().isEmpty()) {
                    assumptions.add("Guest " + e.getKey() + " got no DHCP lease while booting (" + SimTime.format(BOOT_NANOS) + ").");
                }
            }
        }
    }

    private int connect(Bridge sw, int port, LinkDevice other) {
        LinkDevice p = new LinkDevice(lab, "lan", "port" + port, MacAddress.parse(String.format("02:00:00:00:5f:%02x", port)));
        sw.addPort(p);
        p.setUp(true);
        Link.connect(lab, "lan" + port, p, other);
        return port + 1;
    }

    private static byte[] macBytes(MacAddress mac) {
        String[] parts = mac.toString().split(":");
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) b[i] = (byte) Integer.parseInt(parts[i], 16);
        return b;
    }

    private static String macText(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) sb.append(i == 0 ? "" : ":").append(String.format("%02x", b[i] & 0xff));
        return sb.toString();
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
                if (guests.containsKey(node)) GuestCommands.check(guests.get(node).profile().windows(), command);
                else if (lanHosts.containsKey(node)) GuestCommands.check(false, command);
                else throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "no node " + node);
            }
        }
    }

    @Override
    public CommandOutcome run(String node, Command command) throws CommandRejected {
        int before = host.traces().size();
        Observed o = switch (node) {
            case "host" -> hostShell.run(command);
            case "router" -> runRouter(command);
            case "internet" -> runInternet(command);
            default -> GuestCommands.run(guests.containsKey(node) ? guests.get(node) : lanHosts.get(node), command);
        };
        List<Trace> all = host.traces();
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
            for (RouterFault f : router.faults()) sb.append(f.name()).append('\n');
            return org.vnetlab.scenarios.world.Shell.ok(sb.toString());
        }
        String fault = String.join(" ", a.subList(2, a.size()));
        if (a.get(1).equals("add")) router.enable(fault);
        else router.disable(fault);
        return org.vnetlab.scenarios.world.Shell.ok("");
    }

    private void checkInternet(Command c) throws CommandRejected {
        List<String> a = c.argv();
        if (!List.of("down", "up").contains(a.get(0)) || a.size() != 2) {
            throw new CommandRejected(0, "unknown internet command", "down ADDRESS, up ADDRESS (a host of the emulated internet)");
        }
        try {
            Ipv4Address addr = Ipv4Address.parse(a.get(1));
            if (internet.host(addr).isEmpty()) throw new CommandRejected(1, "no host of the emulated internet has this address",
                    "hosts: " + String.join(", ", internet.hosts().stream().map(h -> h.address().toString()).toList()));
        } catch (IllegalArgumentException e) {
            throw new CommandRejected(1, "not an IPv4 address");
        }
    }

    private Observed runInternet(Command c) {
        internet.setDown(Ipv4Address.parse(c.argv().get(1)), c.argv().get(0).equals("down"));
        return org.vnetlab.scenarios.world.Shell.ok("");
    }

    @Override
    public void advance(long nanos) { lab.scheduler().runFor(nanos); }

    @Override
    public long now() { return lab.now(); }

    @Override
    public HostFacts facts() {
        DumpedHost.Uplink up = host.dump.uplink();
        var def = host.persistent.definition();
        return new HostFacts(def.name(), def.forward().mode().xmlName(), host.bridge.name(), host.bridgeAddress(), host.bridgePrefix(),
                Optional.of(up.gateway()), Optional.of(up.name()));
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
