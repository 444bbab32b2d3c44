package org.vnetlab.emulator.link;

import java.util.Locale;

/**
 * A device's counters, the fields of the kernel's {@code rtnl_link_stats64} that {@code ip -s -s link}
 * prints. Bytes count whole frames from the Ethernet header on, as veth and tap devices count them. Devices
 * count their own traffic; the stacks above count what they reject (malformed headers as
 * {@code rx_errors}/{@code rx_length_errors}, unknown protocols as {@code rx_nohandler}).
 */
public final class DeviceCounters {
    private long rxPackets;
    private long rxBytes;
    private long rxErrors;
    private long rxDropped;
    private long rxLengthErrors;
    private long rxNoHandler;
    private long multicast;
    private long txPackets;
    private long txBytes;
    private long txErrors;
    private long txDropped;
    private long txCarrierErrors;

    public long rxPackets() { return rxPackets; }
    public long rxBytes() { return rxBytes; }
    public long rxErrors() { return rxErrors; }
    public long rxDropped() { return rxDropped; }
    public long rxLengthErrors() { return rxLengthErrors; }
    public long rxNoHandler() { return rxNoHandler; }
    public long multicast() { return multicast; }
    public long txPackets() { return txPackets; }
    public long txBytes() { return txBytes; }
    public long txErrors() { return txErrors; }
    public long txDropped() { return txDropped; }
    public long txCarrierErrors() { return txCarrierErrors; }

    public void countRx(int bytes) {
        rxPackets++;
        rxBytes += bytes;
    }

    public void countTx(int bytes) {
        txPackets++;
        txBytes += bytes;
    }

    public void countRxDropped() { rxDropped++; }

    /** A receive error; drivers count the detail (length, CRC) and the total both. */
    public void countRxError() { rxErrors++; }

    /** A frame or header shorter or longer than its own length fields allow; also an {@code rx_error}. */
    public void countRxLengthError() {
        rxLengthErrors++;
        rxErrors++;
    }

    public void countRxNoHandler() { rxNoHandler++; }

    public void countMulticast() { multicast++; }

    public void countTxDropped() { txDropped++; }

    public void countTxError() { txErrors++; }

    public void countTxCarrierError() {
        txCarrierErrors++;
        txErrors++;
    }

    /** The two-line summary {@code ip -s link} prints. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "RX: bytes %d packets %d errors %d dropped %d mcast %d length %d nohandler %d%n"
                        + "TX: bytes %d packets %d errors %d dropped %d carrier %d",
                rxBytes, rxPackets, rxErrors, rxDropped, multicast, rxLengthErrors, rxNoHandler,
                txBytes, txPackets, txErrors, txDropped, txCarrierErrors);
    }
}
