package org.vnetlab.emulator.dnsmasq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;
import org.vnetlab.protocols.dhcp.DhcpPacket;

/**
 * dnsmasq's DHCPv4 server (rfc2131.c dhcp_reply, dhcp.c dhcp_packet and address_allocate), for one served
 * interface, on the lab's clock.
 *
 * <p>Before offering an address no lease holds, dnsmasq pings it and waits PING_WAIT (3 s) for an echo
 * reply; meanwhile it answers DNS but reads no DHCP packet, so those wait in the socket and are handled
 * afterwards, in order. An address that answers is skipped and the pool's epoch bumped; one that does not is
 * offered, and remembered for 30 s so a retransmitted DISCOVER is answered at once.
 *
 * <p>Not supported (packets are dropped with a "vnetlab:" log line): relayed requests (giaddr), non-Ethernet
 * clients, BOOTP clients with a fixed address, dhcp tags, PXE, option overloading.
 */
public final class DhcpServer {
    static final long PING_WAIT_NANOS = SimTime.seconds(PingCache.WAIT_SECONDS);
    /** How long a declined static address is not offered (DECLINE_BACKOFF). */
    static final long DECLINE_BACKOFF_SECONDS = 600;
    private static final int MIN_PACKET_SIZE = DhcpPacket.BOOTP_MINIMUM_LENGTH;

    private final Lab lab;
    private final DnsmasqSettings settings;
    private final ServedInterface served;
    private final LeaseDatabase leases;
    private final DnsmasqLog log;
    private final DhcpPort port;
    private final SeededRandom random;
    private final List<Context> contexts = new ArrayList<>();
    private final PingCache pingCache = new PingCache();
    private final Deque<DhcpDatagram> deferred = new ArrayDeque<>();
    private final Map<StaticHost, Long> declinedAt = new HashMap<>();
    private final Timer expiryTimer;
    private final List<HostRecord> hostsForNames;
    private PendingPing pending;

    /** A dhcp-range completed with the interface's netmask, broadcast and address (complete_context). */
    static final class Context {
        final DhcpRange range;
        final Ipv4Address netmask;
        final Ipv4Address broadcast;
        final Ipv4Address local;
        int addrEpoch;

        Context(DhcpRange range, Ipv4Address netmask, Ipv4Address broadcast, Ipv4Address local) {
            this.range = range;
            this.netmask = netmask;
            this.broadcast = broadcast;
            this.local = local;
        }

        boolean sameNet(Ipv4Address a) { return sameNet(a, range.start(), netmask); }

        static boolean sameNet(Ipv4Address a, Ipv4Address b, Ipv4Address mask) {
            return (a.bits() & mask.bits()) == (b.bits() & mask.bits());
        }
    }

    /** An address decision in progress: chosen, failed, or waiting on a ping of {@code address}. */
    private sealed interface Choice {
        record Chosen(Ipv4Address address) implements Choice {}
        record Failed(String message) implements Choice {}
        record Probe(Ipv4Address address, int hash, Function<Boolean, Choice> then) implements Choice {}
    }

    private record PendingPing(Ipv4Address target, int identifier, int hash, Function<Boolean, Choice> then,
            Transaction tx, Timer timer) {}

    /**
     * @param hostsForNames hosts-file entries (addn-hosts, /etc/hosts) that name a client by address when it
     *                      gives no name itself (dnsmasq's host_from_dns)
     */
    public DhcpServer(Lab lab, DnsmasqSettings settings, ServedInterface served, LeaseDatabase leases,
            List<HostRecord> hostsForNames, DnsmasqLog log, DhcpPort port, SeededRandom random) {
        this.lab = lab;
        this.settings = settings;
        this.served = served;
        this.leases = leases;
        this.hostsForNames = List.copyOf(hostsForNames);
        this.log = log;
        this.port = port;
        this.random = random;
        for (DhcpRange r : settings.dhcpRanges()) {
            Ipv4Address mask = r.netmask().orElse(served.netmask());
            if (!Context.sameNet(served.address(), r.start(), mask) || !Context.sameNet(served.address(), r.end(), mask)) {
                continue; // a range for another subnet: dnsmasq links only the interface's own ranges
            }
            Ipv4Address broadcast = Context.sameNet(served.broadcast(), r.start(), mask)
                    ? served.broadcast() : new Ipv4Address(r.start().bits() | ~mask.bits());
            contexts.add(new Context(r, mask, broadcast, served.address()));
        }
        this.expiryTimer = lab.scheduler().daemonTimer("dnsmasq/" + served.name() + "/lease-expiry", this::expireLeases);
    }

    public LeaseDatabase leases() { return leases; }

    /** True while a ping is outstanding and DHCP packets are held back. */
    public boolean isProbing() { return pending != null; }

    // ---- input ------------------------------------------------------------------------------------------

    /** A datagram arrived on port 67 of the served interface. */
    public void receive(DhcpDatagram datagram) {
        if (pending != null) {
            deferred.add(datagram); // deaf to DHCP during the ping wait; the socket buffer keeps it
            return;
        }
        handle(datagram);
    }

    /**
     * An ICMP message reached dnsmasq's raw ICMP socket. Only an echo reply from the probed address with the
     * probe's identifier, sequence 0 and a 28-byte body (the size of the probe) says the address is in use.
     */
    public void echoReply(Ipv4Address from, int identifier, int sequence, int icmpLength) {
        PendingPing p = pending;
        if (p == null || !from.equals(p.target) || identifier != p.identifier || sequence != 0 || icmpLength != 28) return;
        p.timer.cancel();
        resumeAfterPing(true);
    }

    private void handle(DhcpDatagram datagram) {
        byte[] bytes = datagram.payload();
        if (bytes.length < DhcpPacket.OPTIONS_OFFSET - 4) return; // shorter than the fixed BOOTP header
        DhcpMessage m;
        try {
            m = DhcpMessage.parse(bytes);
        } catch (ParseException e) {
            return; // dnsmasq finds no cookie or no sane options: nothing to answer
        }
        pruneExpired();
        process(m, datagram);
        scheduleExpiry();
    }

    // ---- one request (rfc2131.c dhcp_reply) --------------------------------------------------------------

    /** What dhcp_reply works out about one request before answering it. */
    private final class Transaction {
        final DhcpDatagram datagram;
        final long now;
        DhcpMessage request;
        Ipv4Address ciaddr;
        MacAddress mac;
        Optional<ClientId> clid;
        Lease lease;
        StaticHost config;
        Context context;
        Optional<List<Integer>> requestedOptions;
        String clientHostname;
        String hostname;
        String offerHostname;
        String domain;
        boolean hostnameAuth;
        boolean nullTerminated;
        int fqdnFlags;

        Transaction(DhcpMessage request, DhcpDatagram datagram) {
            this.request = request;
            this.datagram = datagram;
            this.now = nowSeconds();
        }

        boolean unicastDestination() { return !datagram.destination().isBroadcast(); }
    }

    private void process(DhcpMessage m, DhcpDatagram datagram) {
        if (m.op() != DhcpMessage.BOOTREQUEST || m.hlen() > DhcpPacket.CHADDR_LENGTH) return;
        if (m.htype() == 0 && m.hlen() != 0) return;
        Optional<MacAddress> mac = m.clientMac();
        if (mac.isEmpty()) {
            log.dhcp(DnsmasqLog.Level.WARNING, "vnetlab: unsupported: non-Ethernet DHCP client (htype " + m.htype()
                    + ", hlen " + m.hlen() + "), request ignored");
            return;
        }
        if (!m.giaddr().isAny()) {
            log.dhcp(DnsmasqLog.Level.WARNING, "vnetlab: unsupported: relayed DHCP request via " + m.giaddr() + ", ignored");
            return;
        }
        Transaction t = new Transaction(m, datagram);
        t.mac = mac.get();
        Optional<DhcpMessageType> type = m.messageType();
        t.ciaddr = m.ciaddr();
        if (type.isPresent() && (m.option(DhcpOption.RequestedIpAddress.class).isPresent()
                || type.get().equals(DhcpMessageType.DISCOVER))) {
            t.ciaddr = Ipv4Address.ANY; // buggy clients set ciaddr when they should not
        }
        t.clid = m.option(DhcpOption.ClientIdentifier.CODE).map(o -> new ClientId(o.value()));
        t.lease = leases.findByClient(t.mac, t.clid).orElse(null);
        if (t.lease != null && t.clid.isEmpty() && t.lease.clientId().isPresent()) t.clid = t.lease.clientId();

        if (contexts.isEmpty()) {
            log.dhcp(DnsmasqLog.Level.WARNING, "no address range available for DHCP request via " + served.name());
            return;
        }
        t.context = contexts.get(0);
        t.config = findConfig(t.clid, t.mac, null).orElse(null);

        if (type.isEmpty()) {
            bootp(t);
            return;
        }
        clientNames(t);
        t.requestedOptions = m.option(DhcpOption.ParameterRequestList.class).map(DhcpOption.ParameterRequestList::codes);

        DhcpMessageType mt = type.get();
        if (mt.equals(DhcpMessageType.DECLINE)) decline(t);
        else if (mt.equals(DhcpMessageType.RELEASE)) release(t);
        else if (mt.equals(DhcpMessageType.DISCOVER)) discover(t);
        else if (mt.equals(DhcpMessageType.REQUEST)) request(t);
        else if (mt.equals(DhcpMessageType.INFORM)) inform(t);
        // other types (OFFER, ACK, NAK from another server; unknown codes) get no answer
    }

    private void bootp(Transaction t) {
        if (t.config != null && t.config.address().isPresent()) {
            log.dhcp(DnsmasqLog.Level.WARNING, "vnetlab: unsupported: BOOTP client with a fixed address, ignored");
            return;
        }
        // no bootp-dynamic in libvirt's configuration: dynamic BOOTP is refused
        logPacket("BOOTP", null, t.mac, null, "no address configured");
    }

    /** The client's own name (option 81, else 12) and the configured one, as dhcp_reply settles them. */
    private void clientNames(Transaction t) {
        DhcpMessage m = t.request;
        Optional<DhcpOption.ClientFqdn> fqdn = m.option(DhcpOption.ClientFqdn.class);
        if (fqdn.isPresent()) {
            int flags = fqdn.get().flags();
            // without dhcp-client-update: the server does the A update (S and O set when S was clear), N clear
            if ((flags & DhcpOption.ClientFqdn.FLAG_S) == 0) flags |= DhcpOption.ClientFqdn.FLAG_S | DhcpOption.ClientFqdn.FLAG_O;
            flags &= ~DhcpOption.ClientFqdn.FLAG_N;
            t.fqdnFlags = flags;
            String name = fqdn.get().name();
            if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
            if (!fqdn.get().wireFormat() && name.endsWith("\0")) {
                t.nullTerminated = true;
                name = name.substring(0, name.length() - 1);
            }
            if (Hostnames.isLegal(name)) t.offerHostname = t.clientHostname = name;
        } else {
            Optional<DhcpOption> host = m.option(DhcpOption.HostName.CODE);
            if (host.isPresent()) {
                String name = new String(host.get().value(), StandardCharsets.ISO_8859_1);
                if (name.endsWith("\0")) {
                    t.nullTerminated = true; // Windows: answer strings NUL-terminated too
                    name = name.substring(0, name.length() - 1);
                }
                if (Hostnames.isLegal(name)) t.clientHostname = name;
            }
        }
        if (t.config != null && t.config.hostname().isPresent()) {
            t.hostname = Hostnames.firstLabel(t.config.hostname().get());
            t.hostnameAuth = true;
            if (t.fqdnFlags != 0 || t.clientHostname == null || Hostnames.equal(t.hostname, Hostnames.firstLabel(t.clientHostname))) {
                t.offerHostname = t.hostname;
            }
        } else if (t.clientHostname != null) {
            String first = Hostnames.firstLabel(t.clientHostname);
            if (!first.isEmpty()) {
                t.hostname = first;
                if (t.config == null) {
                    // a name-only dhcp-host may match now; not one with a MAC or client id (no impersonation)
                    findConfig(Optional.empty(), t.mac, first)
                            .filter(h -> h.clientId().isEmpty() && h.macs().isEmpty())
                            .ifPresent(h -> t.config = h);
                }
            }
        }
    }

    private void decline(Transaction t) {
        DhcpMessage m = t.request;
        Optional<Ipv4Address> sid = m.option(DhcpOption.ServerIdentifier.class).map(DhcpOption.ServerIdentifier::address);
        if (sid.isEmpty() || !sid.get().equals(t.context.local)) return;
        String text = m.option(DhcpOption.Message.class).map(x -> printable(x.text())).orElse("");
        Optional<Ipv4Address> declined = m.option(DhcpOption.RequestedIpAddress.class).map(DhcpOption.RequestedIpAddress::address);
        if (declined.isEmpty()) return;
        Ipv4Address addr = declined.get();
        logPacket("DHCPDECLINE", addr, t.mac, null, text);
        if (t.lease != null && t.lease.address().equals(addr)) leases.remove(t.lease);
        if (t.config != null && t.config.address().equals(Optional.of(addr))) {
            log.dhcp(DnsmasqLog.Level.WARNING, "disabling DHCP static address " + addr + " for "
                    + new LeaseTime(DECLINE_BACKOFF_SECONDS).pretty());
            declinedAt.put(t.config, t.now);
        } else {
            for (Context c : contexts) c.addrEpoch++; // make sure this client gets another address next time
        }
    }

    private void release(Transaction t) {
        DhcpMessage m = t.request;
        Context c = narrowContext(t.ciaddr);
        Optional<Ipv4Address> sid = m.option(DhcpOption.ServerIdentifier.class).map(DhcpOption.ServerIdentifier::address);
        if (c == null || sid.isEmpty() || !sid.get().equals(c.local)) return;
        String message = null;
        if (t.lease != null && t.lease.address().equals(t.ciaddr)) leases.remove(t.lease);
        else message = "unknown lease";
        logPacket("DHCPRELEASE", t.ciaddr, t.mac, null, message);
    }

    private void discover(Transaction t) {
        DhcpMessage m = t.request;
        Optional<Ipv4Address> requested = m.option(DhcpOption.RequestedIpAddress.class).map(DhcpOption.RequestedIpAddress::address);
        Ipv4Address conf = null;
        if (t.config != null && t.config.address().isPresent()) {
            Ipv4Address ca = t.config.address().get();
            Optional<Lease> holder = leases.findByAddress(ca);
            if (holder.isPresent() && !sameLease(holder.get(), t.lease) && !t.config.hasMac(holder.get().mac())) {
                log.dhcp(DnsmasqLog.Level.WARNING, "not using configured address " + ca + " because it is leased to " + holder.get().mac());
            } else if (isServerAddress(ca)) {
                log.dhcp(DnsmasqLog.Level.WARNING, "not using configured address " + ca + " because it is in use by the server or relay");
            } else if (recentlyDeclined(t.config, t.now)) {
                log.dhcp(DnsmasqLog.Level.WARNING, "not using configured address " + ca + " because it was previously declined");
            } else {
                conf = ca;
            }
        }
        Choice choice;
        if (conf != null) {
            choice = new Choice.Chosen(conf);
        } else if (t.lease != null && addressAvailable(t.lease.address()) != null && configByAddress(t.lease.address()).isEmpty()) {
            choice = new Choice.Chosen(t.lease.address());
        } else if (requested.isPresent() && addressAvailable(requested.get()) != null
                && leases.findByAddress(requested.get()).isEmpty() && configByAddress(requested.get()).isEmpty()) {
            choice = new Choice.Probe(requested.get(), 0, inUse -> inUse ? allocate(t) : new Choice.Chosen(requested.get()));
        } else {
            choice = allocate(t);
        }
        settle(choice, t);
    }

    /** Runs a choice to its end, answering pings from the cache; suspends on a real ping. */
    private void settle(Choice choice, Transaction t) {
        while (choice instanceof Choice.Probe probe) {
            if (pingCache.check(probe.address(), t.now) == PingCache.Verdict.MUST_PING) {
                startPing(probe, t);
                return;
            }
            choice = probe.then().apply(false);
        }
        finishDiscover(t, choice);
    }

    private void startPing(Choice.Probe probe, Transaction t) {
        int id = random.nextInt(0x10000);
        Timer timer = lab.scheduler().timer("dnsmasq/" + served.name() + "/ping-wait", () -> resumeAfterPing(false));
        pending = new PendingPing(probe.address(), id, probe.hash(), probe.then(), t, timer);
        timer.start(PING_WAIT_NANOS);
        port.sendEcho(served.address(), probe.address(), id);
    }

    private void resumeAfterPing(boolean inUse) {
        PendingPing p = pending;
        pending = null;
        if (!inUse) pingCache.recordFree(p.target, p.tx.now, p.hash);
        settle(p.then.apply(inUse), p.tx);
        scheduleExpiry();
        while (pending == null && !deferred.isEmpty()) handle(deferred.poll());
    }

    private void finishDiscover(Transaction t, Choice choice) {
        DhcpMessage m = t.request;
        Optional<Ipv4Address> requested = m.option(DhcpOption.RequestedIpAddress.class).map(DhcpOption.RequestedIpAddress::address);
        String message = choice instanceof Choice.Failed f ? f.message() : null;
        logPacket("DHCPDISCOVER", requested.orElse(null), t.mac, null, message);
        if (message != null) return;
        Ipv4Address yiaddr = ((Choice.Chosen) choice).address();
        Context c = narrowContext(yiaddr);
        if (c == null) return;
        logPacket("DHCPOFFER", yiaddr, t.mac, null, null);
        LeaseTime time = calcTime(c, t.config, m);
        List<DhcpOption> opts = new ArrayList<>();
        opts.add(new DhcpOption.MessageType(DhcpMessageType.OFFER));
        opts.add(new DhcpOption.ServerIdentifier(c.local));
        opts.add(new DhcpOption.LeaseTime(time.seconds()));
        doOptions(opts, c, t, t.offerHostname, domainFor(yiaddr), time, 0);
        send(t, reply(t, yiaddr, c.local, opts, 0), false);
    }

    /** address_allocate: the hash of the MAC picks where to start; walk up to the first free address. */
    private Choice allocate(Transaction t) {
        int hash = AddressHash.sdbm(t.mac.toBytes());
        return walkContext(t, 0, hash);
    }

    private Choice walkContext(Transaction t, int index, int hash) {
        if (index >= contexts.size()) return new Choice.Failed("no address available");
        Context c = contexts.get(index);
        Ipv4Address start = new Ipv4Address(c.range.start().bits()
                + (int) AddressHash.offset(hash, c.addrEpoch, c.range.size()));
        return walkFrom(t, index, hash, start, start);
    }

    private Choice walkFrom(Transaction t, int index, int hash, Ipv4Address start, Ipv4Address from) {
        Context c = contexts.get(index);
        Ipv4Address addr = from;
        do {
            if (allocatable(addr)) {
                Ipv4Address candidate = addr;
                return new Choice.Probe(candidate, hash, inUse -> {
                    if (!inUse) return new Choice.Chosen(candidate);
                    c.addrEpoch++; // perturb the choice so this address is less likely to come up again
                    Ipv4Address next = nextInRange(c, candidate);
                    return next.equals(start) ? walkContext(t, index + 1, hash) : walkFrom(t, index, hash, start, next);
                });
            }
            addr = nextInRange(c, addr);
        } while (!addr.equals(start));
        return walkContext(t, index + 1, hash);
    }

    private static Ipv4Address nextInRange(Context c, Ipv4Address a) {
        Ipv4Address next = new Ipv4Address(a.bits() + 1);
        return next.bits() == c.range.end().bits() + 1 ? c.range.start() : next;
    }

    /** Not the server's, not leased, not reserved by a dhcp-host, not .0 or .255 of a class C address. */
    private boolean allocatable(Ipv4Address a) {
        if (isServerAddress(a) || leases.findByAddress(a).isPresent() || configByAddress(a).isPresent()) return false;
        boolean classC = (a.bits() >>> 29) == 0b110;
        int low = a.bits() & 0xff;
        return !classC || (low != 0xff && low != 0);
    }

    private void request(Transaction t) {
        DhcpMessage m = t.request;
        Optional<Ipv4Address> requested = m.option(DhcpOption.RequestedIpAddress.class).map(DhcpOption.RequestedIpAddress::address);
        String message = null;
        boolean selecting = false;
        boolean unicastDest = t.unicastDestination();
        int fuzz = 0;
        Ipv4Address yiaddr;
        Context context = t.context;
        if (requested.isPresent()) {
            yiaddr = requested.get(); // SELECTING or INIT-REBOOT
            Optional<Ipv4Address> sid = m.option(DhcpOption.ServerIdentifier.class).map(DhcpOption.ServerIdentifier::address);
            if (sid.isPresent()) {
                selecting = true;
                Context ours = null;
                for (Context c : contexts) if (c.local.equals(sid.get())) { ours = c; break; }
                if (ours == null) {
                    // the client chose another server: silence, unless authoritative, which NAKs it
                    if (!settings.dhcpAuthoritative()) return;
                    message = "wrong server-ID";
                } else {
                    context = ours;
                }
                if (t.lease != null && !t.lease.address().equals(yiaddr)) {
                    leases.remove(t.lease);
                    t.lease = null;
                }
            } else {
                if (t.lease == null && !settings.dhcpAuthoritative()) return; // INIT-REBOOT, not ours to judge
                if (t.lease != null && !t.lease.address().equals(yiaddr)) message = "wrong address";
            }
        } else {
            // RENEWING or REBINDING
            if ((t.lease != null && !t.ciaddr.equals(t.lease.address())) || (t.lease == null && !settings.dhcpAuthoritative())) {
                if (!unicastDest) return; // a rebinding broadcast may be for another server's lease
                message = "lease not found";
                unicastDest = false;
            }
            fuzz = random.nextInt(0x10000); // desynchronise renewals
            yiaddr = t.ciaddr;
        }
        logPacket("DHCPREQUEST", yiaddr, t.mac, null, null);

        Context narrowed = null;
        if (message == null) {
            boolean configIsServer = t.config != null && t.config.address().isPresent() && isServerAddress(t.config.address().get());
            narrowed = narrowContext(yiaddr);
            if (narrowed == null) {
                message = "wrong network";
                unicastDest = false;
            } else if (addressAvailable(yiaddr) == null
                    && (t.config == null || !t.config.address().equals(Optional.of(yiaddr)))) {
                message = "address not available";
            } else if (!configIsServer && !selecting && t.config != null && t.config.address().isPresent()
                    && !recentlyDeclined(t.config, t.now) && !t.config.address().get().equals(yiaddr)
                    && leases.findByAddress(t.config.address().get()).map(l -> sameLease(l, t.lease)).orElse(true)) {
                message = "static lease available";
            } else {
                Optional<StaticHost> reserved = configByAddress(yiaddr);
                if (reserved.isPresent() && !reserved.get().equals(t.config)) {
                    message = "address reserved";
                } else if (t.lease == null) {
                    Optional<Lease> holder = leases.findByAddress(yiaddr);
                    if (holder.isPresent()) {
                        if (t.config != null && t.config.hasMac(holder.get().mac())) {
                            log.dhcp(DnsmasqLog.Level.INFO, "abandoning lease to " + holder.get().mac() + " of " + yiaddr);
                            t.lease = holder.get();
                        } else {
                            message = "address in use";
                        }
                    }
                }
            }
            if (message == null && t.lease == null) {
                Optional<Lease> fresh = leases.allocate(yiaddr, t.mac, 1);
                if (fresh.isPresent()) t.lease = fresh.get();
                else message = "no leases left";
            }
        }
        if (narrowed != null) context = narrowed;

        if (message != null) {
            logPacket("DHCPNAK", yiaddr, t.mac, null, message);
            List<DhcpOption> opts = new ArrayList<>();
            opts.add(new DhcpOption.MessageType(DhcpMessageType.NAK));
            opts.add(new DhcpOption.ServerIdentifier(context.local));
            opts.add(new DhcpOption.Message(message + (t.nullTerminated ? "\0" : "")));
            int flags = 0;
            Ipv4Address ciaddr = t.ciaddr;
            if (!unicastDest || ciaddr.isAny() || Context.sameNet(context.local, ciaddr, context.netmask)) {
                flags = DhcpPacket.FLAG_BROADCAST;
                ciaddr = Ipv4Address.ANY;
            }
            t.ciaddr = ciaddr;
            send(t, reply(t, Ipv4Address.ANY, Ipv4Address.ANY, opts, flags), false);
            return;
        }

        if (!t.hostnameAuth) {
            Optional<String> fromHosts = hostFromHosts(yiaddr);
            if (fromHosts.isPresent()) {
                t.hostname = fromHosts.get();
                t.hostnameAuth = true;
            }
        }
        LeaseTime time = calcTime(context, t.config, m);
        Lease l = t.lease.withClient(t.mac, t.clid.isPresent() ? t.clid : t.lease.clientId());
        l = leases.update(l);
        if (t.hostname != null) {
            Optional<String> configDomain = t.config == null ? Optional.empty() : t.config.hostname()
                    .filter(n -> n.contains(".")).map(n -> n.substring(n.indexOf('.') + 1));
            Optional<String> domain = domainFor(l.address());
            if (t.hostnameAuth && configDomain.isPresent()
                    && (domain.isEmpty() || !Hostnames.equal(domain.get(), configDomain.get()))) {
                log.dhcp(DnsmasqLog.Level.WARNING, "Ignoring domain " + configDomain.get() + " for DHCP host name " + t.hostname);
            }
            l = setHostname(l, t.hostname, t.hostnameAuth, domain);
        }
        l = leases.update(l.withExpires(time.isInfinite() ? Lease.NEVER : t.now + time.seconds()));
        leases.touch(l);
        logPacket("DHCPACK", yiaddr, t.mac, t.hostname, null);
        List<DhcpOption> opts = new ArrayList<>();
        opts.add(new DhcpOption.MessageType(DhcpMessageType.ACK));
        opts.add(new DhcpOption.ServerIdentifier(context.local));
        opts.add(new DhcpOption.LeaseTime(time.seconds()));
        doOptions(opts, context, t, t.hostname, domainFor(yiaddr), time, fuzz);
        send(t, reply(t, yiaddr, context.local, opts, 0), false);
    }

    private void inform(Transaction t) {
        logPacket("DHCPINFORM", t.ciaddr, t.mac, null, null);
        if (t.ciaddr.isAny()) return;
        Context c = narrowContext(t.ciaddr);
        Lease lease = t.lease;
        String hostname = t.hostname;
        if (lease == null) {
            lease = leases.findByAddress(t.ciaddr).orElse(null);
            if (lease != null && lease.hostname().isPresent()) hostname = lease.hostname().get();
        }
        if (hostname == null) hostname = hostFromHosts(t.ciaddr).orElse(null);
        logPacket("DHCPACK", t.ciaddr, t.mac, hostname, null);
        Ipv4Address server = c != null ? c.local : served.address();
        List<DhcpOption> opts = new ArrayList<>();
        opts.add(new DhcpOption.MessageType(DhcpMessageType.ACK));
        opts.add(new DhcpOption.ServerIdentifier(server));
        if (lease != null && inList(t.requestedOptions, DhcpOption.LeaseTime.CODE)) {
            long remaining = lease.isInfinite() ? LeaseTime.INFINITE.seconds() : Math.max(0, lease.expires() - t.now);
            opts.add(new DhcpOption.LeaseTime(remaining));
        }
        doOptions(opts, c, t, hostname, domainFor(t.ciaddr), LeaseTime.INFINITE, 0);
        send(t, reply(t, Ipv4Address.ANY, c != null ? c.local : Ipv4Address.ANY, opts, 0), true);
    }

    // ---- options (rfc2131.c do_options) -------------------------------------------------------------------

    private void doOptions(List<DhcpOption> opts, Context c, Transaction t, String hostname, Optional<String> domain,
            LeaseTime time, int fuzz) {
        Optional<List<Integer>> req = t.requestedOptions;
        if (!time.isInfinite()) {
            long lease = time.seconds();
            long t1 = lease / 2;
            long t2 = ((lease * 7) & 0xffff_ffffL) / 8; // dnsmasq computes this in unsigned int
            if (t2 <= t1) t1 = t2 - 1;
            long f = fuzz;
            while (f > t1 / 8) f = f / 2;
            opts.add(new DhcpOption.RenewalTime((t1 - f) & 0xffff_ffffL));
            opts.add(new DhcpOption.RebindingTime((t2 - f) & 0xffff_ffffL));
        }
        if (c != null) {
            if (configured(DhcpOption.SubnetMask.CODE).isEmpty()) opts.add(new DhcpOption.SubnetMask(c.netmask));
            if (configured(DhcpOption.BroadcastAddress.CODE).isEmpty()) opts.add(new DhcpOption.BroadcastAddress(c.broadcast));
            if (inList(req, DhcpOption.Router.CODE) && configured(DhcpOption.Router.CODE).isEmpty()) {
                opts.add(new DhcpOption.Router(List.of(c.local)));
            }
            // dnsmasq offers itself as DNS server only when it serves DNS on the standard port
            if (settings.port() == DnsmasqSettings.DNS_PORT && inList(req, DhcpOption.DomainNameServer.CODE)
                    && configured(DhcpOption.DomainNameServer.CODE).isEmpty()) {
                opts.add(new DhcpOption.DomainNameServer(List.of(c.local)));
            }
        }
        String nul = t.nullTerminated ? "\0" : "";
        if (domain.isPresent() && inList(req, DhcpOption.DomainName.CODE) && configured(DhcpOption.DomainName.CODE).isEmpty()) {
            opts.add(new DhcpOption.DomainName(domain.get() + nul));
        }
        if (hostname != null) {
            if (inList(req, DhcpOption.HostName.CODE) && configured(DhcpOption.HostName.CODE).isEmpty()) {
                opts.add(new DhcpOption.HostName(hostname + nul));
            }
            if (t.fqdnFlags != 0) {
                boolean wire = (t.fqdnFlags & DhcpOption.ClientFqdn.FLAG_E) != 0;
                String name = domain.map(d -> hostname + "." + d).orElse(hostname);
                if (wire && domain.isPresent()) name = name + ".";
                else if (!wire) name = name + nul;
                opts.add(new DhcpOption.ClientFqdn(t.fqdnFlags & 0x0f, 255, 255, name));
            }
        }
        for (DhcpOptionSetting s : settings.dhcpOptions()) {
            int code = s.code();
            if (!inList(req, code)) continue;
            if (code == DhcpOption.ClientFqdn.CODE || code == DhcpOption.MaxMessageSize.CODE || code == DhcpOption.OptionOverload.CODE
                    || code == DhcpOption.RenewalTime.CODE || code == DhcpOption.RebindingTime.CODE) continue;
            if (s.isEmpty() && (code == 1 || code == 28 || code == 3 || code == 6 || code == 15 || code == 12)) continue;
            byte[] v = s.value();
            if (c != null && (code == 1 || code == 3 || code == 6 || code == 28 || code == 42)) {
                for (int i = 0; i + 4 <= v.length; i += 4) {
                    if (v[i] == 0 && v[i + 1] == 0 && v[i + 2] == 0 && v[i + 3] == 0) {
                        System.arraycopy(c.local.toBytes(), 0, v, i, 4); // 0.0.0.0 means "this server"
                    }
                }
            }
            if ((code == 12 || code == 15) && t.nullTerminated) v = Arrays.copyOf(v, v.length + 1);
            final byte[] value = v;
            opts.removeIf(o -> o.code() == code);
            opts.add(DhcpOption.decode(code, value));
        }
    }

    private Optional<DhcpOptionSetting> configured(int code) {
        return settings.dhcpOptions().stream().filter(s -> s.code() == code).findFirst();
    }

    /** in_list: a client that sent no parameter request list gets everything. */
    private static boolean inList(Optional<List<Integer>> req, int code) {
        return req.isEmpty() || req.get().contains(code);
    }

    // ---- reply ------------------------------------------------------------------------------------------

    /** The request turned into a reply (clear_packet): header kept, names cleared, our options, 300 bytes minimum. */
    private DhcpMessage reply(Transaction t, Ipv4Address yiaddr, Ipv4Address siaddr, List<DhcpOption> opts, int extraFlags) {
        DhcpMessage m = t.request;
        List<DhcpOption> all = new ArrayList<>(opts);
        all.add(new DhcpOption.End());
        return DhcpMessage.builder()
                .op(DhcpMessage.BOOTREPLY).htype(m.htype()).hlen(m.hlen()).hops(m.hops()).xid(m.xid()).secs(m.secs())
                .flags(m.flags() | extraFlags).ciaddr(t.ciaddr).yiaddr(yiaddr).siaddr(siaddr).giaddr(m.giaddr())
                .chaddr(m.chaddr()).options(all).padTo(MIN_PACKET_SIZE).build();
    }

    /** dhcp.c: relay, client address, broadcast, or straight to the client's MAC with an injected ARP entry. */
    private void send(Transaction t, DhcpMessage reply, boolean inform) {
        DhcpDatagram in = t.datagram;
        DhcpDestination dest;
        if (!reply.ciaddr().isAny()) {
            if ((!inform && !in.source().equals(reply.ciaddr())) || in.sourcePort() == 0 || in.source().isAny()) {
                dest = new DhcpDestination.Unicast(reply.ciaddr(), DhcpDestination.CLIENT_PORT);
            } else {
                dest = new DhcpDestination.Unicast(in.source(), in.sourcePort());
            }
        } else if (reply.broadcast() || reply.hlen() == 0 || reply.hlen() > 14 || reply.htype() == 0) {
            dest = new DhcpDestination.Broadcast();
        } else {
            dest = new DhcpDestination.ClientHardware(reply.clientMac().orElseThrow(), reply.yiaddr());
        }
        port.send(new DhcpReply(reply.toBytes(), served.address(), dest));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private LeaseTime calcTime(Context c, StaticHost config, DhcpMessage m) {
        LeaseTime time = config != null && config.leaseTime().isPresent() ? config.leaseTime().get() : c.range.leaseTime();
        Optional<Long> asked = m.option(DhcpOption.LeaseTime.class).map(DhcpOption.LeaseTime::seconds);
        if (asked.isPresent()) {
            long req = Math.max(LeaseTime.MINIMUM_SECONDS, asked.get());
            if (time.isInfinite() || (req != LeaseTime.INFINITE.seconds() && req < time.seconds())) time = new LeaseTime(req);
        }
        return time;
    }

    /** address_available: in a dynamic range and not the server's own address; the range, or null. */
    private Context addressAvailable(Ipv4Address a) {
        if (isServerAddress(a)) return null;
        for (Context c : contexts) if (c.range.contains(a)) return c;
        return null;
    }

    /** narrow_context: the range holding the address, else one on its subnet, else none. */
    private Context narrowContext(Ipv4Address a) {
        Context c = addressAvailable(a);
        if (c != null) return c;
        for (Context x : contexts) if (x.sameNet(a)) return x;
        return null;
    }

    private boolean isServerAddress(Ipv4Address a) {
        for (Context c : contexts) if (c.local.equals(a)) return true;
        return false;
    }

    private Optional<StaticHost> configByAddress(Ipv4Address a) {
        return settings.dhcpHosts().stream().filter(h -> h.address().equals(Optional.of(a))).findFirst();
    }

    /** find_config: by client id, then by MAC, then by name; a fixed address must be on the served subnet. */
    private Optional<StaticHost> findConfig(Optional<ClientId> clid, MacAddress mac, String hostname) {
        List<StaticHost> hosts = settings.dhcpHosts();
        if (clid.isPresent()) {
            for (StaticHost h : hosts) if (h.clientId().equals(clid) && inContext(h)) return Optional.of(h);
        }
        for (StaticHost h : hosts) if (h.hasMac(mac) && inContext(h)) return Optional.of(h);
        if (hostname != null) {
            for (StaticHost h : hosts) {
                if (h.hostname().map(n -> Hostnames.equal(Hostnames.firstLabel(n), hostname)).orElse(false) && inContext(h)) {
                    return Optional.of(h);
                }
            }
        }
        return Optional.empty();
    }

    private boolean inContext(StaticHost h) {
        return h.address().map(a -> contexts.stream().anyMatch(c -> c.sameNet(a))).orElse(true);
    }

    private static boolean sameLease(Lease a, Lease b) {
        return b != null && a.address().equals(b.address());
    }

    private boolean recentlyDeclined(StaticHost h, long now) {
        Long at = declinedAt.get(h);
        return at != null && now - at < DECLINE_BACKOFF_SECONDS;
    }

    private Optional<String> domainFor(Ipv4Address address) {
        return settings.domain();
    }

    /** host_from_dns: a hosts-file name for the address, if it is a plain name or in our domain. */
    private Optional<String> hostFromHosts(Ipv4Address address) {
        for (HostRecord r : hostsForNames) {
            if (!r.address().equals(address)) continue;
            String name = r.names().get(0);
            if (!name.contains(".")) return Optional.of(name);
            Optional<String> d = settings.domain();
            String first = Hostnames.firstLabel(name);
            if (d.isPresent() && Hostnames.equal(name.substring(first.length() + 1), d.get())) return Optional.of(first);
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** lease_set_hostname: a name moves from any other lease that has it, unless that one's is configured. */
    private Lease setHostname(Lease lease, String name, boolean auth, Optional<String> domain) {
        if (lease.hostname().isPresent() && Hostnames.equal(lease.hostname().get(), name)) {
            return auth ? leases.update(lease.withName(lease.hostname(), lease.domain(), true)) : lease;
        }
        for (Lease other : leases.leases()) {
            if (other.address().equals(lease.address())) continue;
            if (other.hostname().isPresent() && Hostnames.equal(other.hostname().get(), name)) {
                if (other.authoritativeName() && !auth) return lease;
                leases.update(other.withName(Optional.empty(), Optional.empty(), false));
                break;
            }
        }
        return leases.update(lease.withName(Optional.of(name), domain, auth));
    }

    private void logPacket(String type, Ipv4Address addr, MacAddress mac, String string, String err) {
        StringBuilder sb = new StringBuilder(type).append('(').append(served.name()).append(") ");
        if (addr != null) sb.append(addr).append(' ');
        sb.append(mac).append(' ');
        if (string != null) sb.append(string);
        if (err != null) sb.append(err);
        log.dhcp(DnsmasqLog.Level.INFO, sb.toString());
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) if (c >= 0x20 && c < 0x7f) sb.append(c);
        return sb.toString();
    }

    // ---- lease expiry -----------------------------------------------------------------------------------

    long nowSeconds() { return lab.now() / SimTime.NANOS_PER_SECOND; }

    private void pruneExpired() {
        leases.prune(nowSeconds());
    }

    /** dnsmasq's alarm at the next expiry (lease_update_file, send_alarm): prune then. */
    private void scheduleExpiry() {
        Optional<Long> next = leases.nextExpiry();
        if (next.isEmpty()) {
            expiryTimer.cancel();
            return;
        }
        long at = Math.max(lab.now(), SimTime.seconds(next.get()));
        expiryTimer.startAt(at);
    }

    private void expireLeases() {
        if (pending != null) return; // signals wait for the ping too; resumeAfterPing re-arms the alarm
        pruneExpired();
        scheduleExpiry();
    }
}
