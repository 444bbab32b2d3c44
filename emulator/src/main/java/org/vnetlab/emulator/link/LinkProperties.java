package org.vnetlab.emulator.link;

/**
 * What a wire does to frames: a fixed one-way latency and an independent loss probability per frame,
 * drawn from the link's own seeded stream. The default is an ideal wire (no delay, no loss), which is what
 * a veth pair or a tap is.
 */
public record LinkProperties(long latencyNanos, double lossProbability) {
    public static final LinkProperties IDEAL = new LinkProperties(0, 0);

    public LinkProperties {
        if (latencyNanos < 0) throw new IllegalArgumentException("negative latency " + latencyNanos);
        if (!(lossProbability >= 0 && lossProbability <= 1)) {
            throw new IllegalArgumentException("loss probability " + lossProbability + " outside [0, 1]");
        }
    }

    public LinkProperties withLatency(long nanos) { return new LinkProperties(nanos, lossProbability); }

    public LinkProperties withLoss(double probability) { return new LinkProperties(latencyNanos, probability); }
}
