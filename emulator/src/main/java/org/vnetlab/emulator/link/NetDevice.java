package org.vnetlab.emulator.link;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vnetlab.emulator.sim.CaptureSink;
import org.vnetlab.emulator.sim.Element;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.MacAddress;

/**
 * A network interface as the kernel sees it: a name on a node, a MAC address, an MTU, an administrative
 * state ({@code ip link set up}) and a carrier, counters, and two ways out for received frames — an
 * optional {@link RxHandler} (a bridge claiming its port) and the owner's {@link FrameReceiver}.
 *
 * <p>Subclasses decide what transmitting means: a {@link LinkDevice} puts the frame on its link, a bridge
 * device forwards it through the bridge. See the package documentation for who owns which buffer.
 */
public abstract class NetDevice implements Element {
    /** Ethernet header length, the kernel's ETH_HLEN. */
    public static final int ETH_HLEN = 14;
    /** One 802.1Q tag, the kernel's VLAN_HLEN: the slack is_skb_forwardable allows over the MTU. */
    public static final int VLAN_HLEN = 4;
    public static final int DEFAULT_MTU = 1500;

    protected final Lab lab;
    private final String node;
    private final String name;
    private final MacAddress mac;
    private final DeviceCounters counters = new DeviceCounters();
    private final List<DeviceListener> listeners = new ArrayList<>();
    private int mtu = DEFAULT_MTU;
    private int speedMbps;
    private boolean up;
    private boolean carrier;
    private FrameReceiver receiver;
    private RxHandler rxHandler;

    protected NetDevice(Lab lab, String node, String name, MacAddress mac) {
        this.lab = Objects.requireNonNull(lab, "lab");
        this.node = requireName(node, "node");
        this.name = requireInterfaceName(name);
        this.mac = Objects.requireNonNull(mac, "mac");
        lab.add(this);
    }

    private static String requireName(String s, String what) {
        if (s == null || s.isEmpty() || s.contains("/") || s.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("bad " + what + " name '" + s + "'");
        }
        return s;
    }

    /** Linux interface names: 1 to 15 bytes (IFNAMSIZ 16 with the NUL), no '/', no whitespace, not "." or "..". */
    private static String requireInterfaceName(String s) {
        requireName(s, "interface");
        if (s.length() > 15 || s.equals(".") || s.equals("..") || s.contains(":")) {
            throw new IllegalArgumentException("bad interface name '" + s + "': Linux allows 1-15 characters, "
                    + "no '/', ':' or whitespace");
        }
        return s;
    }

    /** The interface name, e.g. {@code vnet0}. */
    public String name() { return name; }

    /** The node (network namespace) the device lives on, e.g. {@code host}. */
    public String node() { return node; }

    /** {@code node/name}, unique in the lab. */
    @Override
    public String path() { return node + "/" + name; }

    public MacAddress mac() { return mac; }

    public int mtu() { return mtu; }

    public void setMtu(int mtu) {
        if (mtu < 68 || mtu > 65535) throw new IllegalArgumentException("MTU " + mtu + " out of range 68..65535");
        if (this.mtu == mtu) return;
        this.mtu = mtu;
        notifyListeners();
    }

    /** The link speed ethtool would report, 0 when unknown; the bridge derives STP path costs from it. */
    public int speedMbps() { return speedMbps; }

    public void setSpeedMbps(int speedMbps) {
        if (speedMbps < 0) throw new IllegalArgumentException("negative speed");
        this.speedMbps = speedMbps;
    }

    public DeviceCounters counters() { return counters; }

    /** Administratively up ({@code IFF_UP}). */
    public boolean isUp() { return up; }

    public boolean hasCarrier() { return carrier; }

    /** Up and with carrier: the kernel's {@code netif_running && netif_oper_up}. */
    public boolean isOperUp() { return up && carrier; }

    /** {@code ip link set DEV up|down}. */
    public final void setUp(boolean up) {
        if (this.up == up) return;
        this.up = up;
        adminStateChanged(up);
        notifyListeners();
    }

    /** Hook for subclasses that act on {@code ip link set up/down} (a bridge starts or stops STP). */
    protected void adminStateChanged(boolean nowUp) { }

    protected final void setCarrier(boolean carrier) {
        if (this.carrier == carrier) return;
        this.carrier = carrier;
        notifyListeners();
    }

    public void addListener(DeviceListener listener) { listeners.add(Objects.requireNonNull(listener)); }

    public void removeListener(DeviceListener listener) { listeners.remove(listener); }

    private void notifyListeners() {
        for (DeviceListener l : List.copyOf(listeners)) l.stateChanged(this);
    }

    /** Sets who receives this device's frames: the node that owns it. */
    public void setReceiver(FrameReceiver receiver) { this.receiver = receiver; }

    public Optional<FrameReceiver> receiver() { return Optional.ofNullable(receiver); }

    /** Installs the handler that sees frames first; fails like the kernel's -EBUSY if one is installed. */
    public void setRxHandler(RxHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (rxHandler != null) throw new IllegalStateException(path() + " already has a receive handler (device busy)");
        rxHandler = handler;
    }

    public void clearRxHandler() { rxHandler = null; }

    public boolean hasRxHandler() { return rxHandler != null; }

    /**
     * Sends a frame out of this device. The device borrows {@code frame}: it copies what it sends and leaves
     * the caller's buffer and indices untouched.
     */
    public abstract void transmit(ByteBuf frame);

    /** Shows an outgoing frame to capture taps. */
    protected final void captureOutbound(ByteBuf frame) {
        lab.capture(path(), CaptureSink.Direction.OUTBOUND, frame);
    }

    /**
     * The device accepted a frame from below: count it, show it to taps, then give it to the rx handler and,
     * if that passes, to the owner. A frame nobody takes counts as {@code rx_nohandler}.
     */
    protected final void receiveFrame(ByteBuf frame) {
        counters.countRx(frame.readableBytes());
        lab.capture(path(), CaptureSink.Direction.INBOUND, frame);
        if (rxHandler != null && rxHandler.handle(this, frame)) return;
        if (receiver != null) receiver.receive(this, frame);
        else counters.countRxNoHandler();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + path() + " " + mac + " mtu " + mtu
                + (up ? " UP" : " DOWN") + (carrier ? "" : " NO-CARRIER") + "]";
    }
}
