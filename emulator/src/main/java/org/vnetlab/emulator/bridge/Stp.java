package org.vnetlab.emulator.bridge;

import io.netty.buffer.ByteBuf;
import org.vnetlab.emulator.sim.KernelLog;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;

/**
 * The kernel's 802.1D spanning tree for one bridge (br_stp.c, br_stp_if.c, br_stp_timer.c), in the
 * kernel's terms: root and designated port selection, port state selection, config and TCN BPDUs, and the
 * hello, hold, message age, forward delay, TCN and topology change timers.
 *
 * <p>The port state machine also runs with STP off: then enabling a port makes it forwarding at once and
 * nothing is ever sent or detected.
 */
final class Stp {
    /** BR_HOLD_TIME: at most one config BPDU per port per second. The kernel rounds it to a whole second of wall time. */
    private static final long HOLD_TIME = SimTime.seconds(1);
    /** MESSAGE_AGE_INCR, (HZ/256 + 1) jiffies: 4 ms with HZ of 250 or 1000. */
    private static final long MESSAGE_AGE_INCR = SimTime.millis(4);

    private final Bridge br;
    private final boolean enabled;
    final BridgeId bridgeId;
    BridgeId designatedRoot;
    int rootPathCost;
    BridgePort rootPort;
    long maxAge;
    long helloTime;
    long forwardDelay;
    private final long bridgeMaxAge;
    private final long bridgeHelloTime;
    private final long bridgeForwardDelay;
    private boolean topologyChange;
    private boolean topologyChangeDetected;
    private final Timer helloTimer;
    private final Timer tcnTimer;
    private final Timer topologyChangeTimer;

    Stp(Bridge br, BridgeConfig config) {
        this.br = br;
        this.enabled = config.stp();
        this.bridgeId = BridgeId.of(config.priority(), config.mac());
        this.designatedRoot = bridgeId;
        this.bridgeMaxAge = this.maxAge = config.maxAgeNanos();
        this.bridgeHelloTime = this.helloTime = config.helloTimeNanos();
        this.bridgeForwardDelay = this.forwardDelay = config.effectiveForwardDelayNanos();
        String who = "bridge " + br.path();
        var scheduler = br.lab().scheduler();
        this.helloTimer = scheduler.daemonTimer(who + " hello", this::helloExpired);
        this.tcnTimer = scheduler.daemonTimer(who + " tcn", this::tcnExpired);
        this.topologyChangeTimer = scheduler.daemonTimer(who + " topology change", this::topologyChangeExpired);
    }

    boolean enabled() { return enabled; }

    boolean topologyChange() { return topologyChange; }

    long forwardDelay() { return forwardDelay; }

    boolean isRootBridge() { return bridgeId.equals(designatedRoot); }

    private boolean isDesignatedPort(BridgePort p) {
        return bridgeId.equals(p.designatedBridge) && p.designatedPort == p.portId;
    }

    private void log(String text) {
        br.lab().log().info(br.node(), br.name() + ": " + text);
    }

    // ---- bridge and port life cycle (br_stp_if.c) ----

    /** br_stp_enable_bridge, when the bridge device comes up. */
    void enableBridge() {
        if (enabled) helloTimer.start(helloTime);
        br.fdb().startGc();
        configBpduGeneration();
        for (BridgePort p : br.portList()) {
            if (p.device().isOperUp()) enablePort(p);
        }
    }

    /** br_stp_disable_bridge, when the bridge device goes down. */
    void disableBridge() {
        for (BridgePort p : br.portList()) {
            if (p.state != PortState.DISABLED) disablePort(p);
        }
        setTopologyChange(false);
        topologyChangeDetected = false;
        helloTimer.cancel();
        topologyChangeTimer.cancel();
        tcnTimer.cancel();
        br.fdb().stopGc();
    }

    /** br_init_port: fresh port id, designated for its segment, blocking. */
    void initPort(BridgePort p) {
        becomeDesignatedPort(p);
        setState(p, PortState.BLOCKING);
        p.topologyChangeAck = false;
        p.configPending = false;
    }

    /** br_stp_enable_port: the port's device is up with carrier and so is the bridge. */
    void enablePort(BridgePort p) {
        initPort(p);
        portStateSelection();
    }

    /** br_stp_disable_port: the port lost carrier, went down, or is being removed. */
    void disablePort(BridgePort p) {
        boolean wasRoot = isRootBridge();
        becomeDesignatedPort(p);
        setState(p, PortState.DISABLED);
        p.topologyChangeAck = false;
        p.configPending = false;
        p.messageAgeTimer.cancel();
        p.forwardDelayTimer.cancel();
        p.holdTimer.cancel();
        br.fdb().deleteByPort(p, false);
        configurationUpdate();
        portStateSelection();
        if (isRootBridge() && !wasRoot) becomeRootBridge();
    }

    void setState(BridgePort p, PortState state) {
        p.state = state;
        log("port " + p.number() + "(" + p.name() + ") entered " + state + " state");
    }

    // ---- 802.1D procedures (br_stp.c) ----

    private boolean shouldBecomeRootPort(BridgePort p, BridgePort current) {
        if (p.state == PortState.DISABLED || isDesignatedPort(p)) return false;
        if (bridgeId.compareTo(p.designatedRoot) <= 0) return false;
        if (current == null) return true;
        int t = p.designatedRoot.compareTo(current.designatedRoot);
        if (t != 0) return t < 0;
        long mine = (long) p.designatedCost + p.pathCost();
        long theirs = (long) current.designatedCost + current.pathCost();
        if (mine != theirs) return mine < theirs;
        t = p.designatedBridge.compareTo(current.designatedBridge);
        if (t != 0) return t < 0;
        if (p.designatedPort != current.designatedPort) return p.designatedPort < current.designatedPort;
        return p.portId < current.portId;
    }

    private void rootSelection() {
        BridgePort root = null;
        for (BridgePort p : br.portList()) {
            if (shouldBecomeRootPort(p, root)) root = p;
        }
        rootPort = root;
        if (root == null) {
            designatedRoot = bridgeId;
            rootPathCost = 0;
        } else {
            designatedRoot = root.designatedRoot;
            rootPathCost = root.designatedCost + root.pathCost();
        }
    }

    void becomeRootBridge() {
        maxAge = bridgeMaxAge;
        helloTime = bridgeHelloTime;
        forwardDelay = bridgeForwardDelay;
        topologyChangeDetection();
        tcnTimer.cancel();
        if (br.isUp()) {
            configBpduGeneration();
            if (enabled) helloTimer.start(helloTime);
        }
    }

    private void transmitConfig(BridgePort p) {
        if (p.holdTimer.isPending()) {
            p.configPending = true;
            return;
        }
        long messageAge = 0;
        if (!isRootBridge()) messageAge = br.lab().now() - rootPort.designatedAge + MESSAGE_AGE_INCR;
        if (messageAge >= maxAge) return;
        if (enabled) {
            Bpdu.Config bpdu = new Bpdu.Config(topologyChange, p.topologyChangeAck, designatedRoot, rootPathCost,
                    bridgeId, p.portId, messageAge, maxAge, helloTime, forwardDelay);
            send(p, bpdu);
            p.holdTimer.start(HOLD_TIME);
        }
        p.topologyChangeAck = false;
        p.configPending = false;
    }

    private void send(BridgePort p, Bpdu bpdu) {
        ByteBuf frame = bpdu.emit(p.device().mac());
        p.device().transmit(frame);
    }

    private void recordConfigInformation(BridgePort p, Bpdu.Config b) {
        p.designatedRoot = b.root();
        p.designatedCost = b.rootPathCost();
        p.designatedBridge = b.bridge();
        p.designatedPort = b.portId();
        long now = br.lab().now();
        p.designatedAge = now - b.messageAgeNanos();
        p.messageAgeTimer.start(Math.max(0, b.maxAgeNanos() - b.messageAgeNanos()));
    }

    private void recordConfigTimeoutValues(Bpdu.Config b) {
        maxAge = b.maxAgeNanos();
        helloTime = b.helloTimeNanos();
        forwardDelay = b.forwardDelayNanos();
        setTopologyChange(b.topologyChange());
    }

    private void transmitTcn() {
        if (rootPort == null) {
            br.lab().log().notice(br.node(), br.name() + ": root port 0 not found for topology notice");
            return;
        }
        if (enabled) send(rootPort, new Bpdu.Tcn());
    }

    private boolean shouldBecomeDesignatedPort(BridgePort p) {
        if (isDesignatedPort(p)) return true;
        if (!p.designatedRoot.equals(designatedRoot)) return true;
        if (rootPathCost != p.designatedCost) return Integer.compareUnsigned(rootPathCost, p.designatedCost) < 0;
        int t = bridgeId.compareTo(p.designatedBridge);
        if (t != 0) return t < 0;
        return p.portId < p.designatedPort;
    }

    private void designatedPortSelection() {
        for (BridgePort p : br.portList()) {
            if (p.state != PortState.DISABLED && shouldBecomeDesignatedPort(p)) becomeDesignatedPort(p);
        }
    }

    private boolean supersedesPortInfo(BridgePort p, Bpdu.Config b) {
        int t = b.root().compareTo(p.designatedRoot);
        if (t != 0) return t < 0;
        if (b.rootPathCost() != p.designatedCost) return Integer.compareUnsigned(b.rootPathCost(), p.designatedCost) < 0;
        t = b.bridge().compareTo(p.designatedBridge);
        if (t != 0) return t < 0;
        if (!b.bridge().equals(bridgeId)) return true;
        return b.portId() <= p.designatedPort;
    }

    private void topologyChangeAcknowledged() {
        topologyChangeDetected = false;
        tcnTimer.cancel();
    }

    void topologyChangeDetection() {
        if (!enabled || !br.isUp()) return;
        boolean isRoot = isRootBridge();
        log("topology change detected, " + (isRoot ? "propagating" : "sending tcn bpdu"));
        if (isRoot) {
            setTopologyChange(true);
            topologyChangeTimer.start(bridgeForwardDelay + bridgeMaxAge);
        } else if (!topologyChangeDetected) {
            transmitTcn();
            tcnTimer.start(bridgeHelloTime);
        }
        topologyChangeDetected = true;
    }

    /** __br_set_topology_change; the FDB reads the flag to shorten its hold time. */
    private void setTopologyChange(boolean on) {
        topologyChange = on;
    }

    void configBpduGeneration() {
        for (BridgePort p : br.portList()) {
            if (p.state != PortState.DISABLED && isDesignatedPort(p)) transmitConfig(p);
        }
    }

    void configurationUpdate() {
        rootSelection();
        designatedPortSelection();
    }

    private void becomeDesignatedPort(BridgePort p) {
        p.designatedRoot = designatedRoot;
        p.designatedCost = rootPathCost;
        p.designatedBridge = bridgeId;
        p.designatedPort = p.portId;
    }

    private void makeBlocking(BridgePort p) {
        if (p.state == PortState.DISABLED || p.state == PortState.BLOCKING) return;
        if (p.state == PortState.FORWARDING || p.state == PortState.LEARNING) topologyChangeDetection();
        setState(p, PortState.BLOCKING);
        p.forwardDelayTimer.cancel();
    }

    private void makeForwarding(BridgePort p) {
        if (p.state != PortState.BLOCKING) return;
        if (!enabled || forwardDelay == 0) {
            setState(p, PortState.FORWARDING);
            topologyChangeDetection();
            p.forwardDelayTimer.cancel();
            // The kernel also arms the forward delay timer here when STP is off; expiring on a forwarding
            // port it changes nothing, so it is left out (it would only stretch a run until idle).
            return;
        }
        setState(p, PortState.LISTENING);
        p.forwardDelayTimer.start(forwardDelay);
    }

    void portStateSelection() {
        int forwarding = 0;
        for (BridgePort p : br.portList()) {
            if (p.state == PortState.DISABLED) continue;
            if (p == rootPort) {
                p.configPending = false;
                p.topologyChangeAck = false;
                makeForwarding(p);
            } else if (isDesignatedPort(p)) {
                p.messageAgeTimer.cancel();
                makeForwarding(p);
            } else {
                p.configPending = false;
                p.topologyChangeAck = false;
                makeBlocking(p);
            }
            if (p.state == PortState.FORWARDING) forwarding++;
        }
        br.setBridgeCarrier(forwarding > 0);
    }

    private void receivedConfig(BridgePort p, Bpdu.Config b) {
        boolean wasRoot = isRootBridge();
        if (supersedesPortInfo(p, b)) {
            recordConfigInformation(p, b);
            configurationUpdate();
            portStateSelection();
            if (!isRootBridge() && wasRoot) {
                helloTimer.cancel();
                if (topologyChangeDetected) {
                    topologyChangeTimer.cancel();
                    transmitTcn();
                    tcnTimer.start(bridgeHelloTime);
                }
            }
            if (p == rootPort) {
                recordConfigTimeoutValues(b);
                configBpduGeneration();
                if (b.topologyChangeAck()) topologyChangeAcknowledged();
            }
        } else if (isDesignatedPort(p)) {
            transmitConfig(p); // br_reply
        }
    }

    private void receivedTcn(BridgePort p) {
        if (!isDesignatedPort(p)) return;
        log("port " + p.number() + "(" + p.name() + ") received tcn bpdu");
        topologyChangeDetection();
        p.topologyChangeAck = true;
        transmitConfig(p);
    }

    /** br_stp_rcv: a frame to the group address arrived on {@code p} while STP is on. */
    void receive(BridgePort p, ByteBuf frame) {
        Bpdu bpdu;
        try {
            bpdu = Bpdu.parse(frame);
        } catch (ParseException e) {
            br.count("bpdu_discarded");
            return;
        }
        if (!br.isUp() || p.state == PortState.DISABLED) return;
        if (bpdu instanceof Bpdu.Config c) {
            if (c.messageAgeNanos() > c.maxAgeNanos()) {
                br.lab().log().ratelimited(br.node(), KernelLog.Level.NOTICE, br.name() + ": port " + p.number()
                        + " config from " + MacAddress.read(frame, frame.readerIndex() + 6)
                        + " (message_age " + c.messageAgeNanos() + " > max_age " + c.maxAgeNanos() + ")");
                return;
            }
            receivedConfig(p, c);
        } else {
            receivedTcn(p);
        }
    }

    // ---- timers (br_stp_timer.c) ----

    private boolean isDesignatedForSomePort() {
        for (BridgePort p : br.portList()) {
            if (p.state != PortState.DISABLED && bridgeId.equals(p.designatedBridge)) return true;
        }
        return false;
    }

    private void helloExpired() {
        if (!br.isUp()) return;
        configBpduGeneration();
        helloTimer.start(helloTime);
    }

    void messageAgeExpired(BridgePort p) {
        if (p.state == PortState.DISABLED) return;
        log("port " + p.number() + "(" + p.name() + ") neighbor " + p.designatedBridge + " lost");
        boolean wasRoot = isRootBridge();
        becomeDesignatedPort(p);
        configurationUpdate();
        portStateSelection();
        if (isRootBridge() && !wasRoot) becomeRootBridge();
    }

    void forwardDelayExpired(BridgePort p) {
        if (p.state == PortState.LISTENING) {
            setState(p, PortState.LEARNING);
            p.forwardDelayTimer.start(forwardDelay);
        } else if (p.state == PortState.LEARNING) {
            setState(p, PortState.FORWARDING);
            if (isDesignatedForSomePort()) topologyChangeDetection();
            br.setBridgeCarrier(true);
        }
    }

    private void tcnExpired() {
        if (!br.isUp()) return;
        transmitTcn();
        tcnTimer.start(bridgeHelloTime);
    }

    private void topologyChangeExpired() {
        topologyChangeDetected = false;
        setTopologyChange(false);
    }

    void holdExpired(BridgePort p) {
        if (p.configPending) transmitConfig(p);
    }
}
