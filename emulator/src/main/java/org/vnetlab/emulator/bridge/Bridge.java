package org.vnetlab.emulator.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.vnetlab.emulator.link.DeviceListener;
import org.vnetlab.emulator.link.NetDevice;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.MacAddress;

/**
 * A Linux bridge and its bridge device ({@code virbr0}). The bridge device is an ordinary
 * {@link NetDevice} of its node: the host stack sets itself as its receiver and gets the frames the bridge
 * passes up (to the bridge's or a port's own MAC, broadcast, multicast), and transmits through it
 * (br_dev_xmit: known unicast out of its port, everything else flooded).
 *
 * <p>Ports are devices of the same node, added with {@link #addPort}: the bridge becomes their rx handler
 * and adds their MACs as local FDB entries. Flooding visits ports newest first, the order of the kernel's
 * port list. See the package documentation for the forwarding rules; drops the kernel does not count on any
 * device are counted in the lab's counters under the bridge's path.
 */
public final class Bridge extends NetDevice {
    /** BR_MAX_PORTS: port numbers run from 1 to 1023. */
    private static final int MAX_PORTS = 1 << 10;

    private final BridgeConfig config;
    private final List<BridgePort> ports = new ArrayList<>(); // kernel order: newest first
    private final Map<NetDevice, BridgePort> byDevice = new IdentityHashMap<>();
    private final DeviceListener portWatcher = this::portDeviceChanged;
    private final Stp stp;
    private final Fdb fdb;
    private BridgeFilter filter;
    private boolean mtuSetByUser;

    /** A bridge device, down, without ports (and so without carrier), with its own MAC as a local FDB entry. */
    public Bridge(Lab lab, String node, BridgeConfig config) {
        super(lab, node, config.name(), config.mac());
        this.config = config;
        this.stp = new Stp(this, config);
        this.fdb = new Fdb(this);
        fdb.addLocal(null, config.mac());
    }

    public BridgeConfig config() { return config; }

    public Fdb fdb() { return fdb; }

    Stp stp() { return stp; }

    Lab lab() { return lab; }

    List<BridgePort> portList() { return ports; }

    /** Ports by number. */
    public List<BridgePort> ports() {
        List<BridgePort> out = new ArrayList<>(ports);
        out.sort(Comparator.comparingInt(BridgePort::number));
        return Collections.unmodifiableList(out);
    }

    public Optional<BridgePort> port(String deviceName) {
        for (BridgePort p : ports) if (p.name().equals(deviceName)) return Optional.of(p);
        return Optional.empty();
    }

    /** Installs the br_netfilter forward hook; null removes it. */
    public void setFilter(BridgeFilter filter) { this.filter = filter; }

    public BridgeId bridgeId() { return stp.bridgeId; }

    public boolean isRootBridge() { return stp.isRootBridge(); }

    public BridgeId designatedRoot() { return stp.designatedRoot; }

    public Optional<BridgePort> rootPort() { return Optional.ofNullable(stp.rootPort); }

    /** Whether an STP topology change is in progress (BPDUs carry the TC flag; the FDB ages fast). */
    public boolean topologyChange() { return stp.topologyChange(); }

    /** The forward delay in use: clamped to 2..30 s with STP on, or taken from the root bridge's BPDUs. */
    public long forwardDelayNanos() { return stp.forwardDelay(); }

    void count(String counter) { lab.counters().increment(path(), counter); }

    // ---- device side ----

    @Override
    protected void adminStateChanged(boolean nowUp) {
        if (nowUp) stp.enableBridge();
        else stp.disableBridge();
    }

    void setBridgeCarrier(boolean on) { setCarrier(on); }

    /** Setting the bridge's MTU by hand stops it following its ports' smallest MTU. */
    @Override
    public void setMtu(int mtu) {
        super.setMtu(mtu);
        mtuSetByUser = true;
    }

    private void adjustMtu() {
        if (mtuSetByUser) return;
        int min = ports.isEmpty() ? DEFAULT_MTU : Integer.MAX_VALUE;
        for (BridgePort p : ports) min = Math.min(min, p.device().mtu());
        super.setMtu(min);
    }

    // ---- ports (br_if.c) ----

    /** {@code ip link set DEV master BRIDGE}. */
    public BridgePort addPort(NetDevice device) {
        Objects.requireNonNull(device, "device");
        if (device instanceof Bridge) throw new IllegalArgumentException("can not enslave a bridge to a bridge: " + device.path());
        if (!device.node().equals(node())) {
            throw new IllegalArgumentException(device.path() + " is not on node " + node() + " with bridge " + name());
        }
        if (byDevice.containsKey(device)) throw new IllegalArgumentException(device.path() + " is already a port of " + name());
        int number = freePortNumber();
        device.setRxHandler(this::handleFrame); // refuses a device enslaved elsewhere
        BridgePort p = new BridgePort(this, device, number, stp);
        ports.add(0, p);
        byDevice.put(device, p);
        stp.initPort(p);
        stp.setState(p, PortState.DISABLED);
        lab.log().info(node(), device.name() + ": entered promiscuous mode");
        fdb.addLocal(p, device.mac());
        device.addListener(portWatcher);
        adjustMtu();
        if (device.isOperUp() && isUp()) stp.enablePort(p);
        return p;
    }

    /** {@code ip link set DEV nomaster}. */
    public void removePort(NetDevice device) {
        BridgePort p = byDevice.get(device);
        if (p == null) throw new IllegalArgumentException(device.path() + " is not a port of " + name());
        stp.disablePort(p);
        lab.log().info(node(), device.name() + ": left promiscuous mode");
        ports.remove(p);
        byDevice.remove(device);
        fdb.deleteByPort(p, true);
        device.removeListener(portWatcher);
        device.clearRxHandler();
        adjustMtu();
        stp.portStateSelection();
    }

    private int freePortNumber() {
        boolean[] used = new boolean[MAX_PORTS];
        for (BridgePort p : ports) used[p.number()] = true;
        for (int i = 1; i < MAX_PORTS; i++) if (!used[i]) return i;
        throw new IllegalStateException(name() + " has no free port number (the kernel's limit is 1023)");
    }

    /** br_port_carrier_check and br_mtu_auto_adjust: a port device changed state or MTU. */
    private void portDeviceChanged(NetDevice device) {
        BridgePort p = byDevice.get(device);
        if (p == null) return;
        adjustMtu();
        if (!isUp()) return;
        if (device.isOperUp()) {
            if (p.state == PortState.DISABLED) stp.enablePort(p);
        } else if (p.state != PortState.DISABLED) {
            stp.disablePort(p);
        }
    }

    // ---- frames from ports (br_input.c) ----

    private static boolean isLinkLocal(MacAddress dst) {
        return (dst.bits() & ~0x0fL) == 0x0180_c200_0000L;
    }

    private boolean handleFrame(NetDevice device, ByteBuf frame) {
        BridgePort p = byDevice.get(device);
        int base = frame.readerIndex();
        if (frame.readableBytes() < ETH_HLEN) {
            count("drop_runt");
            return true;
        }
        MacAddress dst = MacAddress.read(frame, base);
        MacAddress src = MacAddress.read(frame, base + 6);
        if (src.isMulticast() || src.equals(MacAddress.ZERO)) {
            count("drop_invalid_source");
            return true;
        }
        if (isLinkLocal(dst)) {
            int group = (int) (dst.bits() & 0x0f);
            if (group == 0x00) {
                if (stp.enabled()) {
                    learnIfAllowed(p, src);
                    stp.receive(p, frame);
                    return true;
                }
                // STP off: forward BPDUs like any multicast so other bridges can still see a loop.
            } else if (group == 0x01) {
                count("drop_mac_control"); // 802.3x pause frames never cross a bridge
                return true;
            } else {
                learnIfAllowed(p, src); // group_fwd_mask 0: not forwarded, handed to the port's own stack
                return false;
            }
        }
        if (p.state != PortState.FORWARDING && p.state != PortState.LEARNING) {
            count("drop_port_state");
            return true;
        }
        forwardFromPort(p, frame, dst, src);
        return true;
    }

    private void learnIfAllowed(BridgePort p, MacAddress src) {
        if (p.isLearning()) fdb.learn(p, src);
    }

    /** br_handle_frame_finish. */
    private void forwardFromPort(BridgePort in, ByteBuf frame, MacAddress dst, MacAddress src) {
        learnIfAllowed(in, src);
        boolean group = dst.isMulticast(); // broadcast is a multicast address too
        if (group && !dst.isBroadcast()) {
            // No IGMP/MLD querier is emulated, so snooping never narrows a flood: all multicast goes everywhere.
            counters().countMulticast();
        }
        if (in.state == PortState.LEARNING) {
            count("drop_learning_state");
            return;
        }
        Fdb.Entry to = group ? null : fdb.find(dst);
        if (to != null) {
            if (to.local) {
                passUp(frame);
                return;
            }
            to.used = lab.now();
            forward(to.port, frame, in);
        } else {
            flood(frame, in);
        }
        if (group) passUp(frame); // flooded copies went first; the host gets the original
    }

    private void passUp(ByteBuf frame) {
        receiveFrame(frame); // counted on and tapped at the bridge device, then to the host stack
    }

    // ---- frames out (br_forward.c) ----

    private static boolean shouldDeliver(BridgePort to, BridgePort in) {
        return (to.isHairpin() || to != in) && to.state == PortState.FORWARDING;
    }

    private void forward(BridgePort to, ByteBuf frame, BridgePort in) {
        if (to == null || !shouldDeliver(to, in)) {
            count("drop_no_egress");
            return;
        }
        deliver(List.of(to), frame, in);
    }

    private void flood(ByteBuf frame, BridgePort in) {
        List<BridgePort> tos = new ArrayList<>();
        for (BridgePort to : List.copyOf(ports)) {
            if (shouldDeliver(to, in)) tos.add(to);
        }
        if (!tos.isEmpty()) deliver(tos, frame, in);
    }

    /**
     * __br_forward for each egress port: the forward hook for bridged frames (once for all the ports, so a
     * filter that gathers fragments sees each fragment once), then the egress MTU check, then out.
     */
    private void deliver(List<BridgePort> tos, ByteBuf frame, BridgePort in) {
        if (in == null || filter == null) {
            for (BridgePort to : tos) transmitChecked(to, frame);
            return;
        }
        List<BridgeFilter.OutPort> outs = new ArrayList<>(tos.size());
        for (BridgePort to : tos) outs.add(new BridgeFilter.OutPort(to.name(), to.device().mtu()));
        List<BridgeFilter.Egress> verdicts = filter.egress(frame, in.name(), outs, mtu());
        for (int i = 0; i < tos.size(); i++) {
            BridgeFilter.Egress e = verdicts.get(i);
            if (e.dropped()) {
                count("drop_filter");
                continue;
            }
            for (ByteBuf f : e.frames()) transmitChecked(tos.get(i), f);
        }
    }

    private void transmitChecked(BridgePort to, ByteBuf out) {
        if (out.readableBytes() > to.device().mtu() + ETH_HLEN + VLAN_HLEN) {
            count("drop_egress_mtu"); // br_dev_queue_push_xmit: !is_skb_forwardable
            return;
        }
        to.device().transmit(out);
    }

    // ---- frames from the host (br_device.c) ----

    /** br_dev_xmit: the host stack sends through the bridge device. */
    @Override
    public void transmit(ByteBuf frame) {
        if (!isOperUp()) {
            counters().countTxDropped();
            return;
        }
        captureOutbound(frame);
        counters().countTx(frame.readableBytes());
        if (frame.readableBytes() < ETH_HLEN) {
            count("drop_runt");
            return;
        }
        MacAddress dst = MacAddress.read(frame, frame.readerIndex());
        if (dst.isMulticast()) {
            flood(frame, null);
            return;
        }
        Fdb.Entry to = fdb.find(dst);
        if (to == null) flood(frame, null);
        else forward(to.port, frame, null);
    }
}
