package org.vnetlab.emulator.bridge;

import java.util.Objects;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.MacAddress;

/**
 * How a bridge is set up, in the order libvirt sets it: name and MAC, then the forward delay (accepted as
 * given while STP is still off), then STP on or off. Times in nanoseconds.
 *
 * @param forwardDelayNanos forward delay as configured; see {@link #effectiveForwardDelayNanos()}
 * @param priority the bridge priority, the high 16 bits of the bridge id (kernel default 0x8000)
 */
public record BridgeConfig(String name, MacAddress mac, boolean stp, long forwardDelayNanos, long helloTimeNanos,
        long maxAgeNanos, long ageingTimeNanos, int priority) {

    /** Kernel limits (br_private_stp.h): BR_MIN/MAX_FORWARD_DELAY, HELLO_TIME, MAX_AGE. */
    public static final long MIN_FORWARD_DELAY = SimTime.seconds(2);
    public static final long MAX_FORWARD_DELAY = SimTime.seconds(30);
    public static final long MIN_HELLO_TIME = SimTime.seconds(1);
    public static final long MAX_HELLO_TIME = SimTime.seconds(10);
    public static final long MIN_MAX_AGE = SimTime.seconds(6);
    public static final long MAX_MAX_AGE = SimTime.seconds(40);

    public BridgeConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mac, "mac");
        if (mac.isMulticast() || mac.equals(MacAddress.ZERO)) throw new IllegalArgumentException("bridge MAC " + mac + " is not a unicast address");
        if (forwardDelayNanos < 0) throw new IllegalArgumentException("negative forward delay");
        if (helloTimeNanos < MIN_HELLO_TIME || helloTimeNanos > MAX_HELLO_TIME) {
            throw new IllegalArgumentException("hello time " + SimTime.format(helloTimeNanos) + " outside the kernel's 1..10 s");
        }
        if (maxAgeNanos < MIN_MAX_AGE || maxAgeNanos > MAX_MAX_AGE) {
            throw new IllegalArgumentException("max age " + SimTime.format(maxAgeNanos) + " outside the kernel's 6..40 s");
        }
        if (ageingTimeNanos < 0) throw new IllegalArgumentException("negative ageing time");
        if (priority < 0 || priority > 0xffff) throw new IllegalArgumentException("bridge priority " + priority + " outside 0..65535");
    }

    /** A bridge as {@code ip link add NAME type bridge} makes it: STP off, forward delay 15 s, hello 2 s, max age 20 s, ageing 300 s. */
    public static BridgeConfig of(String name, MacAddress mac) {
        return new BridgeConfig(name, mac, false, SimTime.seconds(15), SimTime.seconds(2), SimTime.seconds(20),
                SimTime.seconds(300), 0x8000);
    }

    public BridgeConfig withStp(boolean on) {
        return new BridgeConfig(name, mac, on, forwardDelayNanos, helloTimeNanos, maxAgeNanos, ageingTimeNanos, priority);
    }

    public BridgeConfig withForwardDelay(long nanos) {
        return new BridgeConfig(name, mac, stp, nanos, helloTimeNanos, maxAgeNanos, ageingTimeNanos, priority);
    }

    public BridgeConfig withAgeingTime(long nanos) {
        return new BridgeConfig(name, mac, stp, forwardDelayNanos, helloTimeNanos, maxAgeNanos, nanos, priority);
    }

    public BridgeConfig withPriority(int p) {
        return new BridgeConfig(name, mac, stp, forwardDelayNanos, helloTimeNanos, maxAgeNanos, ageingTimeNanos, p);
    }

    /**
     * The forward delay the kernel runs with. Starting STP raises a delay below 2 s to 2 s and lowers one
     * above 30 s to 30 s (br_stp_start), so libvirt's {@code delay='0'} with {@code stp='on'} is 2 s.
     */
    public long effectiveForwardDelayNanos() {
        if (!stp) return forwardDelayNanos;
        return Math.max(MIN_FORWARD_DELAY, Math.min(MAX_FORWARD_DELAY, forwardDelayNanos));
    }
}
