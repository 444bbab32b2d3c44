package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.function.Consumer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.icmp.IcmpMessage;

/**
 * What {@code ping} uses: a raw ICMP socket that sends echo requests with its identifier and hears the
 * echo replies and the ICMP errors (with IP_RECVERR, as iputils sets it) about its own requests: "From
 * 192.168.0.10 icmp_seq=1 Destination Host Unreachable". Linux and busybox ping set no PMTU option, so a
 * Linux socket sends with DF (IP_PMTUDISC_WANT); a Windows one without.
 */
public final class PingSocket {
    /** An echo reply: who answered, its TTL as received, the echo fields and data. */
    public record Reply(Ipv4Address from, int ttl, int identifier, int sequence, byte[] data) {
        public Reply {
            data = data.clone();
        }

        @Override
        public byte[] data() { return data.clone(); }
    }

    /** An ICMP error about one of this socket's requests. */
    public record Failure(int sequence, SocketError error) { }

    private final IpStack stack;
    private final int identifier;
    private SendOptions options;
    private boolean broadcast;
    private boolean closed;
    private Consumer<Reply> replies = r -> { };
    private Consumer<Failure> failures = f -> { };

    PingSocket(IpStack stack, int identifier) {
        if (identifier < 0 || identifier > 0xffff) throw new IllegalArgumentException("identifier " + identifier);
        this.stack = stack;
        this.identifier = identifier;
        this.options = SendOptions.defaults(stack.os().pingDontFragment() ? SendOptions.Pmtu.WANT : SendOptions.Pmtu.DONT);
    }

    public int identifier() { return identifier; }

    public PingSocket setOptions(SendOptions o) {
        options = Objects.requireNonNull(o);
        return this;
    }

    /** {@code ping -t TTL}. */
    public PingSocket setTtl(int ttl) {
        options = options.withTtl(ttl);
        return this;
    }

    /** {@code ping -b}. */
    public PingSocket setBroadcast(boolean on) {
        broadcast = on;
        return this;
    }

    public PingSocket onReply(Consumer<Reply> r) {
        replies = Objects.requireNonNull(r);
        return this;
    }

    public PingSocket onFailure(Consumer<Failure> f) {
        failures = Objects.requireNonNull(f);
        return this;
    }

    /** Sends echo request {@code sequence} with {@code data} (ping's default: 56 bytes). */
    public void send(Ipv4Address destination, int sequence, byte[] data) throws SocketException {
        if (closed) throw new SocketException(Errno.EINVAL, "socket closed");
        IcmpMessage.Echo echo = new IcmpMessage.Echo(true, identifier, sequence, data);
        IpStack.Payload payload = new IpStack.Payload() {
            @Override
            public int length() { return echo.length(); }

            @Override
            public void write(ByteBuf buf, int offset, Ipv4Address s, Ipv4Address d) { echo.emit(buf, offset); }
        };
        java.util.Optional<Errno> err = stack.send(new IpStack.Outgoing(IpStack.PROTO_ICMP, options.source(), destination,
                options, broadcast, null, false, payload));
        if (err.isPresent()) throw new SocketException(err.get(), "ping " + destination);
        stack.count(Mib.ICMP_OUT_MSGS);
        stack.count(Mib.icmpMsgOut(8));
    }

    public void close() {
        closed = true;
        stack.sockets().closePing(this);
    }

    void reply(Reply r) { replies.accept(r); }

    void failure(Failure f) { failures.accept(f); }
}
