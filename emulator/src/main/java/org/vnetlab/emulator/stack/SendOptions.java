package org.vnetlab.emulator.stack;

import java.util.Objects;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Per-socket (or per-send) IP options: source address (IP_PKTINFO), TOS (IP_TOS), TTL (IP_TTL, empty: the
 * stack's default), path-MTU discovery mode (IP_MTU_DISCOVER) and the output interface (SO_BINDTODEVICE /
 * IP_PKTINFO ifindex).
 */
public record SendOptions(Optional<Ipv4Address> source, int tos, Optional<Integer> ttl, Pmtu pmtu,
                          Optional<String> device) {

    /** IP_MTU_DISCOVER: DONT never sets DF; WANT sets DF on packets that fit the route MTU (Linux's default); DO always. */
    public enum Pmtu { DONT, WANT, DO }

    public SendOptions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(pmtu, "pmtu");
        Objects.requireNonNull(device, "device");
        if (tos < 0 || tos > 255) throw new IllegalArgumentException("TOS " + tos);
        ttl.ifPresent(t -> {
            if (t < 1 || t > 255) throw new IllegalArgumentException("TTL " + t);
        });
    }

    public static SendOptions defaults(Pmtu pmtu) {
        return new SendOptions(Optional.empty(), 0, Optional.empty(), pmtu, Optional.empty());
    }

    public SendOptions withSource(Ipv4Address s) { return new SendOptions(Optional.of(s), tos, ttl, pmtu, device); }

    public SendOptions withTos(int t) { return new SendOptions(source, t, ttl, pmtu, device); }

    public SendOptions withTtl(int t) { return new SendOptions(source, tos, Optional.of(t), pmtu, device); }

    public SendOptions withPmtu(Pmtu p) { return new SendOptions(source, tos, ttl, p, device); }

    public SendOptions withDevice(String dev) { return new SendOptions(source, tos, ttl, pmtu, Optional.of(dev)); }
}
