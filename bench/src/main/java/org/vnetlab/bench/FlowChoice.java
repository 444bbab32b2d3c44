package org.vnetlab.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which flow each packet belongs to: uniform over the flows, or Zipf-skewed (exponent 0.99, flow rank =
 * flow number, as in YCSB's default skew), drawn with a fixed seed.
 */
public enum FlowChoice {
    UNIFORM, ZIPF;

    /** {@code n} draws of flow numbers below {@code flows} that {@code accept} admits (a thread's shard). */
    int[] draw(int flows, int n, long seed, java.util.function.IntPredicate accept) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] cdf = this == ZIPF ? zipfCdf(flows, 0.99) : null;
        int[] out = new int[n];
        for (int k = 0; k < n; ) {
            int f;
            if (cdf == null) {
                f = r.nextInt(flows);
            } else {
                int at = Arrays.binarySearch(cdf, r.nextDouble());
                f = Math.min(at >= 0 ? at : -at - 1, flows - 1);
            }
            if (accept.test(f)) out[k++] = f;
        }
        return out;
    }

    private static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) cdf[i] /= sum;
        return cdf;
    }
}
