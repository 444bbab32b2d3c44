package org.vnetlab.emulator.guest;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.sim.Element;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * A virtual machine on the lab: one NIC (reached through {@link GuestNet}, the guest's IP stack) and an
 * {@link OsProfile} that decides how it behaves on the wire and at its prompt. Users drive it with
 * {@link #run(String)}, typing what they would type at {@code cmd.exe} or a shell; the lab's virtual clock
 * advances as the command's packets, timers and timeouts play out.
 *
 * <p>Mutable state lives here and nowhere else in the package: the DHCP lease or static configuration,
 * Windows' system-wide ping sequence counter, the guest's random stream.
 */
public final class Guest implements Element {
    /** Wall-clock time at virtual time 0 (the reference capture's date): what dig's WHEN and ipconfig's lease dates show. */
    public static final Instant DEFAULT_EPOCH = Instant.parse("2026-11-26T06:00:00Z");
    private static final long MAX_COMMAND_NANOS = SimTime.seconds(3600);

    private final String name;
    private final OsProfile profile;
    private final GuestNet net;
    private final SeededRandom random;
    private final IpIdentifiers ipIds;
    private final DhcpClient dhcp;
    private Optional<LinkDevice> nic = Optional.empty();
    private Optional<IpStack> stack = Optional.empty();
    private Instant epoch = DEFAULT_EPOCH;
    private boolean dhcpEnabled = true;
    private Optional<DhcpLease> lease = Optional.empty();
    private Optional<Ipv4Address> autoconfigured = Optional.empty();
    private int windowsPingSequence = 1;
    private int linuxPingIdentifier = 4097;
    private int interfaceIndex = 13;

    /**
     * A guest on {@code lab} with its own stack (node {@code name}) and one NIC ({@code eth0} on Linux,
     * {@code Ethernet} on Windows) with {@code mac}, up and unplugged: wire {@link #nic()} to the host's
     * {@code vnetN} with {@link org.vnetlab.emulator.link.Link#connect}, then {@link #startDhcp()} or
     * configure it by command.
     */
    public static Guest create(Lab lab, String name, OsProfile profile, MacAddress mac) {
        LinkDevice nic = new LinkDevice(lab, name, profile.windows() ? "Ethernet" : "eth0", mac);
        IpStack stack = new IpStack(lab, name, profile.stackProfile());
        StackGuestNet net = new StackGuestNet(stack, nic);
        nic.setUp(true);
        Guest g = new Guest(name, profile, net);
        g.nic = Optional.of(nic);
        g.stack = Optional.of(stack);
        return g;
    }

    /** The guest's NIC, for wiring (guests made by {@link #create}). */
    public LinkDevice nic() {
        return nic.orElseThrow(() -> new IllegalStateException(path() + " was built over a custom GuestNet and has no NIC of its own"));
    }

    /** The guest's IP stack (guests made by {@link #create}). */
    public IpStack stack() {
        return stack.orElseThrow(() -> new IllegalStateException(path() + " was built over a custom GuestNet and has no stack of its own"));
    }

    public Guest(String name, OsProfile profile, GuestNet net) {
        this.name = Objects.requireNonNull(name, "name");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.net = Objects.requireNonNull(net, "net");
        this.random = net.lab().random(path());
        this.ipIds = new IpIdentifiers(random.nextInt(0x10000));
        this.dhcp = new DhcpClient(net, profile.dhcp(), profile.hostname(), random, ipIds, path());
        net.lab().add(this);
    }

    @Override
    public String path() { return "guest/" + name; }

    public String name() { return name; }

    public OsProfile profile() { return profile; }

    public Lab lab() { return net.lab(); }

    GuestNet net() { return net; }

    SeededRandom random() { return random; }

    DhcpClient dhcp() { return dhcp; }

    public Instant epoch() { return epoch; }

    /** Sets the wall-clock time that virtual time 0 stands for. */
    public void setEpoch(Instant epoch) { this.epoch = Objects.requireNonNull(epoch); }

    /** Wall-clock now, as the guest's clock shows it. */
    Instant wallClock() {
        return epoch.plusNanos(lab().now());
    }

    public Optional<DhcpLease> lease() { return lease; }

    public Optional<Ipv4Config> config() { return net.config(); }

    public boolean dhcpEnabled() { return dhcpEnabled; }

    /**
     * Sets the resolver's servers by hand, as editing {@code /etc/resolv.conf} (Linux) or the adapter's DNS
     * settings (Windows) would; needs an address. DHCP replaces them with the lease's on the next bind.
     */
    public void setDnsServers(java.util.List<Ipv4Address> servers) {
        Ipv4Config c = net.config().orElseThrow(() -> new IllegalStateException(path() + " has no IPv4 address to resolve from"));
        net.configure(c.withDnsServers(servers));
    }

    /** The interface index Windows appends to link-local addresses ({@code %13}); cosmetic. */
    public int interfaceIndex() { return interfaceIndex; }

    Optional<Ipv4Address> autoconfigured() { return autoconfigured; }

    int nextWindowsPingSequence() {
        int s = windowsPingSequence;
        windowsPingSequence = (windowsPingSequence + 1) & 0xffff;
        return s;
    }

    int nextIpId() { return ipIds.next(); }

    /**
     * The echo identifier of the next Linux ping run: the kernel gives each ping socket its own; the
     * reference capture's consecutive runs used 4097, 4098, 4099 ..., so the guest counts from 4097.
     */
    int nextLinuxPingIdentifier() {
        int id = linuxPingIdentifier;
        linuxPingIdentifier = linuxPingIdentifier == 0xffff ? 1 : linuxPingIdentifier + 1;
        return id;
    }

    void bound(DhcpLease l) {
        lease = Optional.of(l);
        autoconfigured = Optional.empty();
        net.configure(l.config());
    }

    void dropLease() {
        lease = Optional.empty();
        net.deconfigure();
    }

    /** Windows' APIPA fallback (RFC 3927): 169.254.1.0 – 169.254.254.255, /16, no gateway; drawn from the guest's stream. */
    Ipv4Address autoconfigure() {
        Ipv4Address a = Ipv4Address.of(169, 254, 1 + random.nextInt(254), random.nextInt(256));
        autoconfigured = Optional.of(a);
        lease = Optional.empty();
        net.configure(new Ipv4Config(a, 16, Optional.empty(), java.util.List.of()));
        return a;
    }

    void setStatic(Ipv4Config config) {
        dhcp.cancel();
        dhcpEnabled = false;
        lease = Optional.empty();
        autoconfigured = Optional.empty();
        net.configure(config);
    }

    /** Back to DHCP (netsh ... dhcp): the address goes and Windows' client starts acquiring at once. */
    void setDhcp() {
        dhcpEnabled = true;
        autoconfigured = Optional.empty();
        net.deconfigure();
        if (profile.windows()) startDhcp();
    }

    /**
     * {@code ip addr flush}: the address and its routes go; nothing starts by itself on Linux. A running
     * dhclient is not told and keeps its socket on port 68 (it would renew on its own timer).
     */
    void flushAddress() {
        dhcp.cancel();
        dhcpEnabled = true;
        lease = Optional.empty();
        net.deconfigure();
    }

    /**
     * Starts the DHCP client as at boot, in the background: the lease (or, on Windows, an APIPA address)
     * arrives as the lab runs.
     */
    public void startDhcp() {
        dhcp.daemonStarted(); // Debian's ifup runs dhclient, which stays in the background
        dhcp.acquire(new DhcpClient.Listener() {
            @Override public void bound(DhcpLease l) { Guest.this.bound(l); }
            @Override public void failed() { if (profile.windows()) autoconfigure(); }
        });
    }

    /**
     * Checks one command line as {@link #run} would read it — the shell's words, the program, every option
     * and argument — without running anything: nothing is sent, no state changes, no time passes. A scenario
     * vets all its guest steps this way before its first step runs.
     *
     * @throws CommandException naming the offending word, as {@link #run} would report it
     */
    public void check(String commandLine) throws CommandException {
        CommandLine line = CommandLine.parse(commandLine, !profile.windows());
        // the parsers only read the guest's fixed facts (interface name, DHCP client flavour); starting is what acts
        if (profile.windows()) WindowsShell.parse(this, line);
        else LinuxShell.parse(this, line);
    }

    /**
     * Runs one command line to completion and returns what it printed and what happened. Unknown commands
     * and options give the shell's error (exit 9009 on Windows' cmd, 127 in a POSIX shell) or an error
     * naming the offending word; they are never ignored.
     */
    public CommandResult run(String commandLine) {
        Command command;
        try {
            CommandLine line = CommandLine.parse(commandLine, !profile.windows());
            command = profile.windows() ? WindowsShell.parse(this, line) : LinuxShell.parse(this, line);
        } catch (CommandException e) {
            return new CommandResult(commandLine, e.exitStatus(), e.userText(),
                    java.util.List.of(new Outcome.UsageError(e.token(), e.problem())));
        }
        if (command == null) return new CommandResult(commandLine, 0, "", java.util.List.of(new Outcome.Shown()));
        Run run = new Run(this, commandLine);
        command.start(run);
        if (!run.done()) {
            boolean finished = lab().scheduler().runUntil(run::done, MAX_COMMAND_NANOS);
            if (!finished) throw new IllegalStateException("'" + commandLine + "' on " + path() + " did not finish within "
                    + SimTime.format(MAX_COMMAND_NANOS) + " of virtual time");
        }
        return run.result(commandLine);
    }

    @Override
    public String toString() { return "Guest[" + name + ", " + profile.name() + "]"; }
}
