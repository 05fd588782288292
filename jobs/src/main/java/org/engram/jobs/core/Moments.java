package org.engram.jobs.core;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mergeable summary of a sample: count, exact sum and sum of squares, min and max. Sums are kept as
 * {@link BigDecimal}s, in which adding doubles is exact, so the result does not depend on the order
 * in which partial summaries are merged — the same sweep gives byte-identical tables whatever the
 * partitioning. The 95% confidence interval of the mean uses Student's t with n − 1 degrees of
 * freedom.
 */
public final class Moments implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final MathContext MC = MathContext.DECIMAL128;

    private long count;
    private BigDecimal sum = BigDecimal.ZERO;
    private BigDecimal sumSq = BigDecimal.ZERO;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    public static Moments of(double... xs) {
        Moments m = new Moments();
        for (double x : xs) {
            m.add(x);
        }
        return m;
    }

    /** Adds one finite value; returns this. */
    public Moments add(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("moments take finite values only, found " + x);
        }
        BigDecimal b = new BigDecimal(x);
        count++;
        sum = sum.add(b);
        sumSq = sumSq.add(b.multiply(b));
        min = Math.min(min, x);
        max = Math.max(max, x);
        return this;
    }

    /** Merges another summary into this one; returns this. other: not modified. */
    public Moments merge(Moments other) {
        count += other.count;
        sum = sum.add(other.sum);
        sumSq = sumSq.add(other.sumSq);
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        return this;
    }

    public long count() {
        return count;
    }

    public double mean() {
        return count == 0 ? Double.NaN : sum.divide(BigDecimal.valueOf(count), MC).doubleValue();
    }

    /** Sample variance (n − 1 in the denominator); NaN for fewer than two values. */
    public double variance() {
        if (count < 2) {
            return Double.NaN;
        }
        BigDecimal n = BigDecimal.valueOf(count);
        BigDecimal ss = sumSq.subtract(sum.multiply(sum).divide(n, MC));
        double v = ss.divide(BigDecimal.valueOf(count - 1), MC).doubleValue();
        return Math.max(0.0, v);
    }

    public double std() {
        return Math.sqrt(variance());
    }

    public double sem() {
        return count < 2 ? Double.NaN : std() / Math.sqrt(count);
    }

    /** Half-width of the 95% confidence interval of the mean (t-quantile, n − 1 degrees of freedom). */
    public double ci95HalfWidth() {
        if (count < 2) {
            return Double.NaN;
        }
        double t = new TDistribution(null, count - 1).inverseCumulativeProbability(0.975);
        return t * sem();
    }

    /**
     * Whether every value is 0 or 1 — the trials of a proportion (converged or not, separable or not). Exact: for
     * values in [0, 1], Σ x = Σ x² only when every x (1 − x) is 0, and the sums are exact.
     */
    public boolean binary() {
        return count > 0 && min >= 0 && max <= 1 && sum.compareTo(sumSq) == 0;
    }

    /**
     * The 95% confidence interval of the mean: for a proportion ({@link #binary}) Wilson's score interval, which
     * never leaves [0, 1] and is not empty at 0 or n successes; otherwise mean ± t(0.975, n − 1) · sem. NaN for
     * fewer than two values.
     */
    public double[] ci95() {
        if (count < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        if (binary()) {
            double n = count;
            double p = mean();
            double z = 1.959963984540054;
            double z2n = z * z / n;
            double centre = (p + z2n / 2) / (1 + z2n);
            double half = z / (1 + z2n) * Math.sqrt(p * (1 - p) / n + z2n / (4 * n));
            // at 0 or n successes an end is exactly 0 or 1 (centre ∓ half, rounded)
            return new double[] {p == 0 ? 0 : Math.max(0, centre - half), p == 1 ? 1 : Math.min(1, centre + half)};
        }
        double m = mean();
        double h = ci95HalfWidth();
        return new double[] {m - h, m + h};
    }

    /**
     * Welch's 95% confidence interval of the difference of means {@code a − b} of two independent samples (unequal
     * variances, Welch–Satterthwaite degrees of freedom); the point difference at both ends when neither sample
     * varies, NaN when either has fewer than two values.
     */
    public static double[] welchDifferenceCi95(Moments a, Moments b) {
        if (a.count < 2 || b.count < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double d = a.mean() - b.mean();
        double va = a.variance() / a.count;
        double vb = b.variance() / b.count;
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return new double[] {d, d};
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.count - 1) + vb * vb / (b.count - 1));
        double h = new TDistribution(null, df).inverseCumulativeProbability(0.975) * se;
        return new double[] {d - h, d + h};
    }

    public double min() {
        return count == 0 ? Double.NaN : min;
    }

    public double max() {
        return count == 0 ? Double.NaN : max;
    }
}
