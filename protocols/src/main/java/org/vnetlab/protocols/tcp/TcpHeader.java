package org.vnetlab.protocols.tcp;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.ipv4.IpProtocol;

/**
 * A TCP header as a value, options in wire order (NOPs included, since Linux aligns with explicit NOPs:
 * "nop,wscale", "nop,nop,TS"). When the options do not fill a multiple of 4 bytes, {@link #emit} pads the
 * end with NOPs; after an End of List it pads with zeros. The checksum is not held: emit computes it.
 */
public record TcpHeader(int sourcePort, int destinationPort, long sequence, long acknowledgment, int flags,
                        int window, int urgentPointer, List<TcpOption> options) {

    public TcpHeader {
        if (sourcePort < 0 || sourcePort > 0xffff) throw new IllegalArgumentException("source port out of 16 bits: " + sourcePort);
        if (destinationPort < 0 || destinationPort > 0xffff) throw new IllegalArgumentException("destination port out of 16 bits: " + destinationPort);
        if (sequence < 0 || sequence > 0xffff_ffffL) throw new IllegalArgumentException("sequence out of 32 bits: " + sequence);
        if (acknowledgment < 0 || acknowledgment > 0xffff_ffffL) throw new IllegalArgumentException("acknowledgment out of 32 bits: " + acknowledgment);
        if ((flags & ~TcpFlags.MASK) != 0) throw new IllegalArgumentException("flags out of 12 bits: " + flags);
        if (window < 0 || window > 0xffff) throw new IllegalArgumentException("window out of 16 bits: " + window);
        if (urgentPointer < 0 || urgentPointer > 0xffff) throw new IllegalArgumentException("urgent pointer out of 16 bits: " + urgentPointer);
        options = List.copyOf(options);
        int optionBytes = 0;
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i) instanceof TcpOption.EndOfList && i != options.size() - 1) {
                throw new IllegalArgumentException("nothing may follow End of List");
            }
            optionBytes += options.get(i).length();
        }
        if (optionBytes > TcpSegment.MAX_HEADER_LENGTH - TcpSegment.MIN_HEADER_LENGTH) {
            throw new IllegalArgumentException("options take " + optionBytes + " bytes, at most 40 fit");
        }
    }

    public static TcpHeader parse(TcpSegment s) {
        return new TcpHeader(s.sourcePort(), s.destinationPort(), s.sequence(), s.acknowledgment(), s.flags(), s.window(),
                s.urgentPointer(), s.optionList());
    }

    /** Header length: 20 plus the options rounded up to 4 bytes. */
    public int length() {
        int optionBytes = 0;
        for (TcpOption o : options) optionBytes += o.length();
        return TcpSegment.MIN_HEADER_LENGTH + (optionBytes + 3) / 4 * 4;
    }

    /** Writes {@link #length()} bytes at absolute {@code index} with a zero checksum. */
    public void emit(ByteBuf buf, int index) {
        int length = length();
        buf.setShort(index, sourcePort);
        buf.setShort(index + 2, destinationPort);
        buf.setInt(index + 4, (int) sequence);
        buf.setInt(index + 8, (int) acknowledgment);
        buf.setShort(index + 12, (length / 4) << 12 | flags);
        buf.setShort(index + 14, window);
        buf.setShort(index + 16, 0);
        buf.setShort(index + 18, urgentPointer);
        int i = index + TcpSegment.MIN_HEADER_LENGTH;
        boolean ended = false;
        for (TcpOption o : options) {
            o.emit(buf, i);
            i += o.length();
            if (o instanceof TcpOption.EndOfList) ended = true;
        }
        while (i < index + length) buf.setByte(i++, ended ? TcpOption.KIND_END : TcpOption.KIND_NOP);
    }

    /**
     * Writes the header and its checksum over the header and the {@code payloadLength} bytes that must
     * already be in place after it.
     */
    public void emit(ByteBuf buf, int index, int payloadLength, Ipv4Address source, Ipv4Address destination) {
        emit(buf, index);
        buf.setShort(index + 16, InternetChecksum.computeWithPseudoHeader(buf, index, length() + payloadLength,
                source.bits(), destination.bits(), IpProtocol.TCP.value()));
    }

    @Override
    public String toString() {
        return "TcpHeader[" + sourcePort + " > " + destinationPort + " [" + TcpFlags.toString(flags) + "], seq " + sequence
                + ", ack " + acknowledgment + ", win " + window + (urgentPointer != 0 ? ", urg " + urgentPointer : "")
                + ", options " + options + "]";
    }
}
