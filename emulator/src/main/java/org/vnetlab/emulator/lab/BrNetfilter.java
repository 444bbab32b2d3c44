package org.vnetlab.emulator.lab;

import java.util.List;
import java.util.Optional;
import io.netty.buffer.ByteBuf;
import org.vnetlab.emulator.bridge.Bridge;
import org.vnetlab.emulator.bridge.BridgeFilter;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.PacketFilter;
import org.vnetlab.emulator.stack.netfilter.BridgeNetfilter;

/**
 * The host's br_netfilter module: whether it is loaded and {@code net.bridge.bridge-nf-call-iptables}. While
 * both hold, IPv4 frames bridged between two ports of any bridge on the host (guest to guest on virbr0) go
 * through iptables' PREROUTING, FORWARD and POSTROUTING with their bridge ports as physdev information
 * ({@link BridgeNetfilter}); otherwise the bridge forwards them without netfilter seeing them. The module acts
 * on every bridge of the network namespace, those that exist when it loads and those created later, so it is
 * {@linkplain #install installed} on each bridge the host gets and consulted per frame.
 *
 * <p>Out of scope: {@code bridge-nf-call-arptables} (arptables is not emulated, ARP is bridged untouched) and
 * {@code bridge-nf-call-ip6tables} (the stack is IPv4 only); their keys exist with the module, and that is all.
 */
public final class BrNetfilter {
    public static final String CALL_IPTABLES = "net.bridge.bridge-nf-call-iptables";

    private final PacketFilter filter;
    private final IpStack host;
    private boolean loaded;
    private boolean callIptables;

    /** {@code host}: the namespace's IP stack, whose counters and fragment queues bridged IPv4 uses. */
    BrNetfilter(PacketFilter filter, IpStack host, Initial initial) {
        this.filter = filter;
        this.host = host;
        this.loaded = initial.loaded();
        this.callIptables = initial.callIptables();
    }

    public boolean loaded() { return loaded; }

    /** Whether bridged IPv4 traverses iptables now: loaded, and bridge-nf-call-iptables is 1. */
    public boolean active() { return loaded && callIptables; }

    public boolean callIptables() { return callIptables; }

    /** {@code modprobe br_netfilter}: the net.bridge keys appear at the module's defaults (1); a no-op when loaded. */
    public void load() {
        if (loaded) return;
        loaded = true;
        callIptables = true;
    }

    /** {@code sysctl -w net.bridge.bridge-nf-call-iptables=V}; the caller has checked the key exists (the module is loaded). */
    public void setCallIptables(boolean on) {
        if (!loaded) throw new IllegalStateException("br_netfilter is not loaded: " + CALL_IPTABLES + " does not exist");
        callIptables = on;
    }

    /** Hooks a bridge of this host: its bridged frames meet iptables whenever {@link #active()}. */
    void install(Bridge bridge) {
        BridgeNetfilter hooks = new BridgeNetfilter(bridge.name(), filter, host);
        BridgeFilter untouched = BridgeFilter.perPort((frame, inPort, outPort) -> BridgeFilter.Verdict.ACCEPT);
        bridge.setFilter((ByteBuf frame, String inPort, List<BridgeFilter.OutPort> outPorts, int bridgeMtu) -> active()
                ? hooks.egress(frame, inPort, outPorts, bridgeMtu) : untouched.egress(frame, inPort, outPorts, bridgeMtu));
    }

    /** The module's state when the lab starts, and the assumption behind it when the dump does not show it. */
    public record Initial(boolean loaded, boolean callIptables, Optional<String> assumption) {
        public static final Initial NOT_LOADED = new Initial(false, false, Optional.empty());
        public static final Initial LOADED = new Initial(true, true, Optional.empty());

        /**
         * From a dump: a {@code sysctl -a} dump shows the module (its net.bridge.bridge-nf-call-* keys are there
         * exactly while it is loaded) and the switch's value. Without one, a host whose iptables holds Docker's
         * chains is taken to have it loaded with the kernel default 1: Docker up to 27.2 loads br_netfilter
         * whenever it manages iptables (27.3 and later only for icc=false or without the userland proxy), and
         * Kubernetes nodes load it too. Otherwise it is taken as not loaded (nothing on a plain host loads it).
         *
         * @param runtime the dump's {@code sysctl -a} values, if the dump has them
         * @param rules   the dump's iptables ruleset (empty when none)
         */
        public static Initial fromDump(Optional<Sysctls> runtime, Ruleset rules) {
            if (runtime.isPresent()) {
                Sysctls s = runtime.get();
                if (!s.brNetfilterLoaded()) return NOT_LOADED;
                boolean on = s.get(CALL_IPTABLES).map(v -> !v.strip().equals("0")).orElse(true);
                return new Initial(true, on, Optional.empty());
            }
            if (hasDockerChains(rules)) {
                return new Initial(true, true, Optional.of("br_netfilter loaded, " + CALL_IPTABLES + " = 1: the dump has no sysctl -a,"
                        + " and its iptables holds Docker's chains (Docker up to 27.2 loads the module whenever it manages iptables;"
                        + " 27.3+ only with icc=false or userland-proxy=false). Bridged guest-to-guest IPv4 traverses iptables;"
                        + " 'sysctl net.bridge.bridge-nf-call-iptables' on the host tells"));
            }
            return new Initial(false, false, Optional.empty());
        }

        /** Docker's own chains in the filter table (DOCKER-USER exists whenever dockerd manages iptables). */
        public static boolean hasDockerChains(Ruleset rules) {
            return rules.table(TableName.FILTER).map(t -> t.chain("DOCKER-USER").isPresent() || t.chain("DOCKER").isPresent()).orElse(false);
        }
    }
}
