package org.vnetlab.emulator.stack;

/**
 * The namespace's fragment-queue sysctls (net.ipv4.ipfrag_*), immutable. Defaults are Linux 6.18's
 * (ipv4_frags_init_net): ipfrag_time 30 s, ipfrag_high_thresh 4 MiB, ipfrag_low_thresh 3 MiB, ipfrag_max_dist 64.
 *
 * <p>{@code lowThresh} is kept for what sysctl shows and checks (high may not go below low, low not above
 * high) but changes nothing: since the fragment queues moved to a hash table (Linux 4.17) there is no evictor
 * pruning down to it; over {@code highThresh} new fragments are simply refused.
 *
 * @param timeoutSeconds ipfrag_time: how long a queue lives from its first fragment
 * @param highThresh     ipfrag_high_thresh: bytes of queued fragments (see {@link Reassembly}'s truesize rule)
 *                       above which fragments are dropped; 0 drops every fragment
 * @param lowThresh      ipfrag_low_thresh
 * @param maxDist        ipfrag_max_dist: 0 turns the disorder check off
 */
public record FragmentLimits(int timeoutSeconds, long highThresh, long lowThresh, int maxDist) {
    public static final FragmentLimits KERNEL_DEFAULT = new FragmentLimits(30, 4L * 1024 * 1024, 3L * 1024 * 1024, 64);

    public FragmentLimits {
        if (timeoutSeconds < 0 || highThresh < 0 || lowThresh < 0 || maxDist < 0) {
            throw new IllegalArgumentException("negative ipfrag setting");
        }
    }

    public FragmentLimits withTimeoutSeconds(int s) { return new FragmentLimits(s, highThresh, lowThresh, maxDist); }

    public FragmentLimits withThresholds(long high, long low) { return new FragmentLimits(timeoutSeconds, high, low, maxDist); }

    public FragmentLimits withMaxDist(int d) { return new FragmentLimits(timeoutSeconds, highThresh, lowThresh, d); }
}
