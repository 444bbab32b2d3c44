package org.vnetlab.emulator.netfilter.hook;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.netfilter.Target;

/**
 * The text the LOG target writes (nf_log_syslog.c): {@code PREFIX IN=… OUT=… MAC=… SRC=… DST=… LEN=…
 * TOS=0x.. PREC=0x.. TTL=… ID=… [DF] PROTO=…} with the protocol's fields, an ICMP error's quoted packet in
 * brackets, and {@code MARK=0x…} when the packet has a mark. Like the kernel, every field ends with a space.
 */
public final class LogLine {
    private LogLine() {}

    public static String format(Target.Log log, PacketContext ctx) {
        StringBuilder sb = new StringBuilder();
        log.prefix().ifPresent(sb::append);
        sb.append("IN=").append(ctx.in().orElse("")).append(" OUT=").append(ctx.out().orElse("")).append(' ');
        if (ctx.isBridged()) {
            ctx.physIn().ifPresent(p -> sb.append("PHYSIN=").append(p).append(' '));
            ctx.physOut().ifPresent(p -> sb.append("PHYSOUT=").append(p).append(' '));
        }
        if (ctx.in().isPresent()) {
            sb.append("MAC=");
            if (ctx.sourceMac().isPresent() && ctx.destinationMac().isPresent()) {
                sb.append(ctx.destinationMac().get()).append(':').append(ctx.sourceMac().get()).append(":08:00 ");
            } else {
                sb.append(' ');
            }
        }
        packet(sb, log, ctx.datagram(), false);
        if (ctx.mark() != 0) sb.append(String.format("MARK=0x%x ", ctx.mark()));
        return sb.toString();
    }

    private static void packet(StringBuilder sb, Target.Log log, Datagram d, boolean inner) {
        ByteBuf b = d.buf();
        int o = d.offset();
        int tos = b.getUnsignedByte(o + 1);
        int ff = b.getUnsignedShort(o + 6);
        sb.append("SRC=").append(d.source()).append(" DST=").append(d.destination()).append(' ');
        sb.append(String.format("LEN=%d TOS=0x%02X PREC=0x%02X TTL=%d ID=%d ", d.totalLength(), tos & 0x1e, tos & 0xe0,
                d.ttl(), b.getUnsignedShort(o + 4)));
        if ((ff & 0x8000) != 0) sb.append("CE ");
        if ((ff & 0x4000) != 0) sb.append("DF ");
        if ((ff & 0x2000) != 0) sb.append("MF ");
        if ((ff & 0x1fff) != 0) sb.append("FRAG:").append(ff & 0x1fff).append(' ');
        int l4 = d.l4Offset();
        int have = d.l4Available();
        switch (d.protocol()) {
            case 6 -> {
                sb.append("PROTO=TCP ");
                if (d.isLaterFragment()) break;
                if (have < 20) { sb.append("INCOMPLETE [").append(have).append(" bytes] "); break; }
                sb.append("SPT=").append(b.getUnsignedShort(l4)).append(" DPT=").append(b.getUnsignedShort(l4 + 2)).append(' ');
                if (log.tcpSequence()) {
                    sb.append("SEQ=").append(b.getUnsignedInt(l4 + 4)).append(" ACK=").append(b.getUnsignedInt(l4 + 8)).append(' ');
                }
                sb.append("WINDOW=").append(b.getUnsignedShort(l4 + 14)).append(' ');
                int word = b.getUnsignedShort(l4 + 12);
                sb.append(String.format("RES=0x%02x ", (word & 0x0f00) >>> 8 & 0x0f));
                int f = word & 0xff;
                if ((f & 0x80) != 0) sb.append("CWR ");
                if ((f & 0x40) != 0) sb.append("ECE ");
                if ((f & 0x20) != 0) sb.append("URG ");
                if ((f & 0x10) != 0) sb.append("ACK ");
                if ((f & 0x08) != 0) sb.append("PSH ");
                if ((f & 0x04) != 0) sb.append("RST ");
                if ((f & 0x02) != 0) sb.append("SYN ");
                if ((f & 0x01) != 0) sb.append("FIN ");
                sb.append("URGP=").append(b.getUnsignedShort(l4 + 18)).append(' ');
            }
            case 17, 136 -> {
                sb.append(d.protocol() == 17 ? "PROTO=UDP " : "PROTO=UDPLITE ");
                if (d.isLaterFragment()) break;
                if (have < 8) { sb.append("INCOMPLETE [").append(have).append(" bytes] "); break; }
                sb.append("SPT=").append(b.getUnsignedShort(l4)).append(" DPT=").append(b.getUnsignedShort(l4 + 2))
                        .append(" LEN=").append(b.getUnsignedShort(l4 + 4)).append(' ');
            }
            case 1 -> {
                sb.append("PROTO=ICMP ");
                if (d.isLaterFragment()) break;
                if (have < 4) { sb.append("INCOMPLETE [").append(have).append(" bytes] "); break; }
                int type = b.getUnsignedByte(l4);
                int code = b.getUnsignedByte(l4 + 1);
                sb.append("TYPE=").append(type).append(" CODE=").append(code).append(' ');
                switch (type) {
                    case 0, 8 -> {
                        if (have >= 8) sb.append("ID=").append(b.getUnsignedShort(l4 + 4)).append(" SEQ=")
                                .append(b.getUnsignedShort(l4 + 6)).append(' ');
                    }
                    case 12 -> { if (have >= 8) sb.append("PARAMETER=").append(b.getUnsignedByte(l4 + 4)).append(' '); }
                    case 5 -> { if (have >= 8) sb.append("GATEWAY=").append(org.vnetlab.protocols.Ipv4Address.read(b, l4 + 4)).append(' '); }
                    case 3, 4, 11 -> {
                        if (!inner) {
                            Optional<Datagram> q = Datagram.read(b, l4 + 8, have - 8);
                            if (q.isPresent()) {
                                sb.append('[');
                                packet(sb, log, q.get(), true);
                                sb.append("] ");
                            }
                        }
                        if (type == 3 && code == 4 && have >= 8) sb.append("MTU=").append(b.getUnsignedShort(l4 + 6)).append(' ');
                    }
                    default -> { }
                }
            }
            default -> sb.append("PROTO=").append(d.protocol()).append(' ');
        }
    }
}
