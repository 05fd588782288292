package org.engram.kernels.hopfield;

/**
 * The replica-symmetric solution of the Hopfield model (Amit, Gutfreund and Sompolinsky, PRL 55, 1530 (1985);
 * Ann. Phys. 173, 30 (1987)) for H = −½ Σ J σσ with Hebbian J, loading α = P/N, temperature T = 1/β:
 * <pre>
 *   m = ∫Dz tanh β(m + √(αr) z),   q = ∫Dz tanh² β(m + √(αr) z),   r = q / [1 − β(1 − q)]².
 * </pre>
 * Solved in the variables (m, C) with C = β(1 − q) = β ∫Dz sech² β(m + √(αr) z), which stays finite as T → 0 and
 * avoids the cancellation in 1 − q; then √(αr) = √(α(1 − TC)) / (1 − C). At T = 0 the integrals are exact:
 * m = erf(m/(√2 s)), C = √(2/π) e^{−m²/2s²} / s. Gaussian integrals use composite Simpson rules split around the
 * step of tanh at z = −m/s (a coarse Gauss–Hermite rule fails at small T), Newton's method with a finite-difference
 * Jacobian, and continuation in T from the T = 0 retrieval solution with step halving: the retrieval line T_M(α)
 * is where that branch ends (a fold; the m ≠ 0 solution disappears). The T = 0 capacity is the largest α for which
 * y(√(2α) + (2/√π) e^{−y²}) = erf(y) has a root: α_c = max_y ½ (erf(y)/y − (2/√π) e^{−y²})² ≈ 0.138.
 */
public final class Ags {
    private Ags() {
    }

    /** A retrieval solution: overlap m, C = β(1 − q), and the noise width s = √(αr). */
    public record Solution(double m, double c, double s) {
    }

    /** A point of the retrieval line: T_M(α) and the overlap just below it (NaN beyond α_c). */
    public record LinePoint(double alpha, double tm, double mAtTm) {
    }

    private static final double SQRT2 = Math.sqrt(2);

    /** α_c(T = 0), by golden-section maximisation of α(y). */
    public static double alphaC() {
        return alphaOfY(fold());
    }

    /** The y at which α(y) is largest (the T = 0 spinodal). */
    static double fold() {
        double a = 0.3;
        double b = 4;
        double g = (Math.sqrt(5) - 1) / 2;
        for (int it = 0; it < 200; it++) {
            double x1 = b - g * (b - a);
            double x2 = a + g * (b - a);
            if (alphaOfY(x1) > alphaOfY(x2)) {
                b = x2;
            } else {
                a = x1;
            }
        }
        return (a + b) / 2;
    }

    /** The α at which y solves the T = 0 equation. */
    static double alphaOfY(double y) {
        double v = erf(y) / y - 2 / Math.sqrt(Math.PI) * Math.exp(-y * y);
        return v > 0 ? v * v / 2 : 0;
    }

    /**
     * The retrieval solution at T = 0 (null for α > α_c): the root y above the fold of α(y) = α, where α(y) decreases
     * from α_c to 0, by bisection.
     */
    public static Solution zeroTemperature(double alpha) {
        if (alpha == 0) {
            return new Solution(1, 0, 0);
        }
        double lo = fold();
        if (alpha > alphaOfY(lo)) {
            return null;
        }
        double up = 10 + 2 / Math.sqrt(2 * alpha); // α(y) ≈ 1/(2y²) for large y
        for (int it = 0; it < 200; it++) {
            double mid = (lo + up) / 2;
            if (alphaOfY(mid) >= alpha) {
                lo = mid;
            } else {
                up = mid;
            }
        }
        double yy = (lo + up) / 2;
        double m = erf(yy);
        double s = m / (SQRT2 * yy);
        double c = Math.sqrt(2 / Math.PI) * Math.exp(-yy * yy) / s;
        return new Solution(m, c, s);
    }

    /** The residuals of the saddle-point equations in (m, C) at (α, T). */
    static double[] residual(double m, double c, double alpha, double t) {
        if (c >= 1 || (t > 0 && t * c >= 1)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double s = Math.sqrt(alpha * (1 - t * c)) / (1 - c);
        double[] i = integrals(m, s, t);
        return new double[] {m - i[0], c - i[1]};
    }

    /** {∫Dz tanh β(m + s z), β ∫Dz sech² β(m + s z)} (T = 0: the exact limits). */
    static double[] integrals(double m, double s, double t) {
        if (s == 0) {
            if (t == 0) {
                return new double[] {Math.signum(m), 0};
            }
            double th = Math.tanh(m / t);
            return new double[] {th, (1 - th * th) / t};
        }
        if (t == 0) {
            return new double[] {erf(m / (SQRT2 * s)), Math.sqrt(2 / Math.PI) * Math.exp(-m * m / (2 * s * s)) / s};
        }
        double beta = 1 / t;
        double z0 = -m / s;
        double w = Math.min(30 * t / s, 20);
        double lo = -12;
        double hi = 12;
        double a = Math.max(lo, z0 - w);
        double b = Math.min(hi, z0 + w);
        double[] acc = new double[2];
        if (a > lo) {
            simpson(lo, a, 400, m, s, beta, acc);
        }
        if (b > a) {
            simpson(a, b, 800, m, s, beta, acc);
        }
        if (hi > b) {
            simpson(b, hi, 400, m, s, beta, acc);
        }
        return acc;
    }

    private static void simpson(double a, double b, int intervals, double m, double s, double beta, double[] acc) {
        double hstep = (b - a) / intervals;
        double tanhSum = 0;
        double sechSum = 0;
        for (int k = 0; k <= intervals; k++) {
            double z = a + k * hstep;
            double wgt = (k == 0 || k == intervals) ? 1 : (k % 2 == 1 ? 4 : 2);
            double g = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
            double th = Math.tanh(beta * (m + s * z));
            tanhSum += wgt * g * th;
            sechSum += wgt * g * (1 - th * th);
        }
        acc[0] += tanhSum * hstep / 3;
        acc[1] += beta * sechSum * hstep / 3;
    }

    /** Newton's method from (m, C); null when it does not converge to a point with C < 1. */
    static Solution newton(double m, double c, double alpha, double t) {
        double x = m;
        double y = c;
        for (int it = 0; it < 60; it++) {
            double[] r = residual(x, y, alpha, t);
            if (Double.isNaN(r[0]) || Double.isNaN(r[1])) {
                return null;
            }
            if (Math.abs(r[0]) < 1e-11 && Math.abs(r[1]) < 1e-11) {
                double s = Math.sqrt(alpha * (1 - t * y)) / (1 - y);
                return new Solution(x, y, s);
            }
            double hx = 1e-7;
            double hy = 1e-7;
            double[] rx = residual(x + hx, y, alpha, t);
            double[] ry = residual(x, y + hy, alpha, t);
            double a11 = (rx[0] - r[0]) / hx;
            double a21 = (rx[1] - r[1]) / hx;
            double a12 = (ry[0] - r[0]) / hy;
            double a22 = (ry[1] - r[1]) / hy;
            double det = a11 * a22 - a12 * a21;
            if (!(Math.abs(det) > 1e-14)) {
                return null;
            }
            double dx = (a22 * r[0] - a12 * r[1]) / det;
            double dy = (a11 * r[1] - a21 * r[0]) / det;
            // keep C in [0, 1) and damp large steps
            double scale = 1;
            while (scale > 1e-3 && (y - scale * dy >= 1 || y - scale * dy < 0 || t * (y - scale * dy) >= 1)) {
                scale /= 2;
            }
            x -= scale * dx;
            y -= scale * dy;
        }
        return null;
    }

    /** Where a continuation stopped: the last temperature reached and the solution there. */
    private record Reached(double t, Solution s) {
    }

    /**
     * Continuation in T of the T = 0 retrieval solution, up to {@code target} (or until the branch ends): each step
     * starts Newton's method from the previous solution and is accepted when it converges to an m > 0 near the last
     * one; a refused step is halved, down to {@code tolerance}. Null for α beyond α_c.
     */
    private static Reached continueTo(double alpha, double target, double tolerance) {
        Solution s = zeroTemperature(alpha);
        if (s == null) {
            return null;
        }
        double at = 0;
        double h = Math.min(0.02, target);
        while (at < target && h >= tolerance) {
            double next = Math.min(target, at + h);
            Solution n = newton(s.m(), s.c(), alpha, next);
            if (n != null && n.m() > 1e-4 && Math.abs(n.m() - s.m()) < 0.1) {
                s = n;
                at = next;
            } else {
                h /= 2;
            }
        }
        return new Reached(at, s);
    }

    /** The retrieval solution at (α, T) by continuation from T = 0, or null when the branch ends below T. */
    public static Solution retrieval(double alpha, double t) {
        Reached r = continueTo(alpha, t, 1e-9);
        return r == null || r.t() < t ? null : r.s();
    }

    /**
     * T_M(α): continuation in T from the T = 0 retrieval solution until the branch ends (step halving to
     * {@code tolerance}). NaN for α ≥ α_c.
     */
    public static LinePoint retrievalLine(double alpha, double tolerance) {
        Reached r = continueTo(alpha, Double.POSITIVE_INFINITY, tolerance);
        return r == null ? new LinePoint(alpha, Double.NaN, Double.NaN) : new LinePoint(alpha, r.t(), r.s().m());
    }

    /** The spin-glass line T_g(α) = 1 + √α (AGS). */
    public static double spinGlassLine(double alpha) {
        return 1 + Math.sqrt(alpha);
    }

    /** erf(x), Hipparchus. */
    static double erf(double x) {
        return org.hipparchus.special.Erf.erf(x);
    }
}
