package org.engram.kernels.rbm;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise parts of Gibbs sampling, fused and vectorised (jdk.incubator.vector): bias +
 * logistic in place, and Bernoulli sampling from counter-based 24-bit uniforms (one 64-bit draw of the
 * stream per call, then a keyed integer hash per element, eight lanes at a time).
 * Allocation-free.
 *
 * <p>The exponential is computed here from IEEE adds, multiplies, fused multiply-adds and bit
 * shifts only (Cody–Waite range reduction, degree-6 polynomial, 2^k by exponent bits; relative error
 * &lt; 2e-7), not with {@code VectorOperators.EXP}: that one is an SVML intrinsic in compiled code but
 * a per-lane {@code Math.exp} in the interpreter, so its last bit depends on when the JIT compiled
 * the loop — and results would depend on how work was scheduled. These operations are exact, so
 * the same inputs give the same bits in every tier, on every core count — and, the sums keeping a fixed layout of
 * 16 partials (see {@link #W}), at every vector width.
 */
public final class Fused {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Fused() {
    }

    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.428606765330187e-6f;
    private static final float MAGIC = 12582912f; // 1.5 · 2^23: adding it rounds to an integer
    private static final float[] P = {1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f, 1f, 1f};

    /**
     * e^x for |x| ≤ 87 (clamped outside), deterministic: see the class comment. The vector loops below
     * perform the same operations lane-wise (written out in the loop: a helper taking and returning
     * vectors that the JIT declines to inline would box every vector, allocating per element).
     */
    static float exp(float x) {
        x = Math.min(87f, Math.max(-87f, x));
        float t = Math.fma(x, LOG2E, MAGIC);
        float k = t - MAGIC;
        float r = Math.fma(k, -LN2_HI, x);
        r = Math.fma(k, -LN2_LO, r);
        float p = P[0];
        for (int i = 1; i < P.length; i++) {
            p = Math.fma(p, r, P[i]);
        }
        int ki = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(MAGIC);
        return p * Float.intBitsToFloat((ki + 127) << 23);
    }

    private static final int LOG_SHIFT = 0x3f800000 - 0x3f3504f3; // moves [√½, √2) onto one binade
    private static final int SQRT_HALF = 0x3f3504f3;
    private static final float[] L = {2f / 9, 2f / 7, 2f / 5, 2f / 3};

    /**
     * ln x for a positive normal float, deterministic like {@link #exp}: x = 2^k·m with m in [√½, √2),
     * f = m − 1, s = f/(2 + f), ln m = 2 atanh s = f − f²/2 + s(f²/2 + R(s²)) with R the atanh series to
     * s⁸ (truncation &lt; 1e-9 relative, |s| ≤ 0.172), and k·ln 2 in two parts; error ≈ 1 ulp.
     */
    static float log(float x) {
        int ix = Float.floatToRawIntBits(x) + LOG_SHIFT;
        float k = (ix >> 23) - 127;
        float f = Float.intBitsToFloat((ix & 0x7fffff) + SQRT_HALF) - 1f;
        float s = f / (2f + f);
        float z = s * s;
        float r = L[0];
        for (int i = 1; i < L.length; i++) {
            r = r * z + L[i];
        }
        r = r * z;
        float hfsq = f * f * 0.5f;
        return s * (hfsq + r) + k * LN2_LO - hfsq + f + k * LN2_HI;
    }

    /**
     * softplus(t) − d·t with t clamped to [−bound, bound], as (max(t, 0) − d·t) + log1p(e^{−|t|}) — exact
     * cancellation of the large parts for d ∈ {0, 1} — and log1p(y) = ln(1 + y)·y / ((1 + y) − 1). With
     * d = 0: softplus(t) = ln(1 + e^t). With d the data and t the logit of p: the Bernoulli log-loss
     * −[d ln p + (1 − d) ln(1 − p)], p clipped to [σ(−bound), σ(bound)].
     */
    static float softplusTerm(float t, float d, float bound) {
        t = Math.min(bound, Math.max(-bound, t));
        float e = exp(-Math.abs(t));
        float u = 1f + e;
        return (Math.max(t, 0f) - d * t) + (u == 1f ? e : log(u) * (e / (u - 1f)));
    }

    /**
     * The width of this JVM's preferred float vector, in bits (256 with AVX2, 512 with AVX-512): the sums here keep
     * one float partial per lane, so their last bits follow this width — runs on CPUs of other widths can differ.
     */
    public static int vectorBits() {
        return S.vectorBitSize();
    }

    /**
     * The sums' lane layout, the same whatever the JVM's vector width: W float partials, element q of a row going to
     * partial q mod W, added in order in double at the end with the scalar tail (the last n mod W elements). With
     * 512-bit vectors a vector is one layout's worth; with 256-bit (AVX2) or 128-bit ones two or four vectors are,
     * each adding into its own slice of the partials — so a sum has the same bits on an AVX2 and an AVX-512 CPU.
     */
    private static final int W = Math.max(16, S.length());

    /** Two layouts of partials per thread (logCoshRow keeps two sums). */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[2 * W]);

    /**
     * Whether one vector is one layout's worth (512-bit vectors): the sums then keep their partials in a register,
     * as fast as a plain vector sum. Narrower vectors add into the partials in memory: measured with 256-bit ones,
     * 1.2–1.4× the time of a register sum for logCoshRow and softplusSum, 2.1× for absSum. A register per vector of
     * the layout, chosen by a branch, was slower still (the JIT boxes vectors that merge from branches).
     */
    private static final boolean ONE = S.length() == W;

    /** Adds v into the partials of the lanes from q mod W on (lanes[o …] at offset base); narrow vectors only. */
    private static void addInto(float[] lanes, int base, int q, FloatVector v) {
        int o = base + q % W;
        FloatVector.fromArray(S, lanes, o).add(v).intoArray(lanes, o);
    }

    /** This thread's partials, zeroed where they are added into (one vector a layout: the registers overwrite them). */
    private static float[] lanes() {
        float[] lanes = LANES.get();
        if (!ONE) {
            java.util.Arrays.fill(lanes, 0f);
        }
        return lanes;
    }

    /** Σ of the W partials at base, in order, in double. */
    private static double drain(float[] lanes, int base) {
        double sum = 0;
        for (int i = base; i < base + W; i++) {
            sum += lanes[i];
        }
        return sum;
    }

    /**
     * Σ_{q &lt; n} softplusTerm(x[xo + q] + y[yo + q], d[dOff + q], bound) with the operations of
     * {@link #softplusTerm} lane-wise; each lane sums its elements in float, and the lanes (in order) and
     * the scalar tail are added in double — the same bits in every JIT tier. Allocation-free.
     */
    public static double softplusSum(float[] x, int xo, float[] y, int yo, float[] d, int dOff, float bound, int n) {
        float[] lanes = lanes();
        FloatVector acc = FloatVector.zero(S);
        int q = 0;
        if (I.length() == S.length()) {
            FloatVector one = FloatVector.broadcast(S, 1f);
            int bound8 = n - n % W;
            for (; q < bound8; q += S.length()) {
                FloatVector t = FloatVector.fromArray(S, x, xo + q).add(FloatVector.fromArray(S, y, yo + q))
                        .max(-bound).min(bound);
                // e = exp(−|t|), as exp(float)
                FloatVector a = t.abs().neg().max(-87f).min(87f);
                FloatVector tt = a.lanewise(VectorOperators.FMA, LOG2E, MAGIC);
                FloatVector k = tt.sub(MAGIC);
                FloatVector red = k.lanewise(VectorOperators.FMA, -LN2_HI, a);
                red = k.lanewise(VectorOperators.FMA, -LN2_LO, red);
                FloatVector p = FloatVector.broadcast(S, P[0]);
                for (int i = 1; i < P.length; i++) {
                    p = p.lanewise(VectorOperators.FMA, red, FloatVector.broadcast(S, P[i]));
                }
                IntVector ki = tt.reinterpretAsInts().sub(Float.floatToRawIntBits(MAGIC));
                FloatVector e = p.mul(ki.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                FloatVector u = one.add(e);
                // ln u, as log(float)
                IntVector ix = u.reinterpretAsInts().add(LOG_SHIFT);
                FloatVector lk = (FloatVector) ix.lanewise(VectorOperators.ASHR, 23).sub(127)
                        .convert(VectorOperators.I2F, 0);
                FloatVector f = ix.and(0x7fffff).add(SQRT_HALF).reinterpretAsFloats().sub(1f);
                FloatVector s = f.div(f.add(2f));
                FloatVector z = s.mul(s);
                FloatVector r = FloatVector.broadcast(S, L[0]);
                for (int i = 1; i < L.length; i++) {
                    r = r.mul(z).add(L[i]);
                }
                r = r.mul(z);
                FloatVector hfsq = f.mul(f).mul(0.5f);
                FloatVector ln = s.mul(hfsq.add(r)).add(lk.mul(LN2_LO)).sub(hfsq).add(f).add(lk.mul(LN2_HI));
                FloatVector l1p = ln.mul(e.div(u.sub(1f))).blend(e, u.eq(1f));
                FloatVector big = t.max(0f).sub(FloatVector.fromArray(S, d, dOff + q).mul(t));
                if (ONE) {
                    acc = acc.add(big.add(l1p));
                } else {
                    addInto(lanes, 0, q, big.add(l1p));
                }
            }
        }
        if (ONE) {
            acc.intoArray(lanes, 0);
        }
        double sum = drain(lanes, 0);
        for (; q < n; q++) {
            sum += softplusTerm(x[xo + q] + y[yo + q], d[dOff + q], bound);
        }
        return sum;
    }

    private static final float[] ATANH = {1f / 13, 1f / 11, 1f / 9, 1f / 7, 1f / 5, 1f / 3, 1f};

    /**
     * log(1 + e) for e in [0, 1] as 2 atanh(s), s = e/(2 + e) ≤ 1/3, by its odd series to s¹³ (truncation
     * &lt; 2e-9 relative): one division, no range reduction.
     */
    static float log1pSmall(float e) {
        float s = e / (2f + e);
        float z = s * s;
        float p = ATANH[0];
        for (int i = 1; i < ATANH.length; i++) {
            p = Math.fma(p, z, ATANH[i]);
        }
        return 2f * s * p;
    }

    /**
     * One pass over the DOUBLED fields t = 2x of a row of a ±1 RBM (x = a hidden unit's field): returns
     * Σ log 2cosh(x) = Σ (|x| + log1p(e^{−2|x|})) (no overflow for any x), adds Σ |x| to abs[0], and when
     * {@code tanh} is set overwrites t[off + q] with tanh(x) = sign(x)(1 − e)/(1 + e), e = e^{−2|x|} — the
     * exponential shared by the three. Lanes sum in float, lanes (in order) and tail in double; the operations
     * are exact IEEE ones, so the bits do not depend on the JIT tier (see the class comment).
     */
    public static double logCoshRow(float[] t, int off, int n, boolean tanh, double[] abs) {
        float[] lanes = lanes();
        FloatVector acc = FloatVector.zero(S);
        FloatVector accAbs = acc;
        int q = 0;
        if (I.length() == S.length()) {
            FloatVector one = FloatVector.broadcast(S, 1f);
            int bound = n - n % W;
            for (; q < bound; q += S.length()) {
                FloatVector x2 = FloatVector.fromArray(S, t, off + q);
                FloatVector a2 = x2.abs();
                // e = exp(−|t|), as exp(float)
                FloatVector a = a2.neg().max(-87f);
                FloatVector tt = a.lanewise(VectorOperators.FMA, LOG2E, MAGIC);
                FloatVector k = tt.sub(MAGIC);
                FloatVector red = k.lanewise(VectorOperators.FMA, -LN2_HI, a);
                red = k.lanewise(VectorOperators.FMA, -LN2_LO, red);
                FloatVector p = FloatVector.broadcast(S, P[0]);
                for (int i = 1; i < P.length; i++) {
                    p = p.lanewise(VectorOperators.FMA, red, FloatVector.broadcast(S, P[i]));
                }
                IntVector ki = tt.reinterpretAsInts().sub(Float.floatToRawIntBits(MAGIC));
                FloatVector e = p.mul(ki.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                // log1p(e), as log1pSmall
                FloatVector s = e.div(e.add(2f));
                FloatVector z = s.mul(s);
                FloatVector poly = FloatVector.broadcast(S, ATANH[0]);
                for (int i = 1; i < ATANH.length; i++) {
                    poly = poly.lanewise(VectorOperators.FMA, z, FloatVector.broadcast(S, ATANH[i]));
                }
                FloatVector half = a2.mul(0.5f);
                if (ONE) {
                    acc = acc.add(half.add(s.mul(2f).mul(poly)));
                    accAbs = accAbs.add(half);
                } else {
                    addInto(lanes, 0, q, half.add(s.mul(2f).mul(poly)));
                    addInto(lanes, W, q, half);
                }
                if (tanh) {
                    FloatVector th = one.sub(e).div(one.add(e));
                    th.blend(th.neg(), x2.lt(0f)).intoArray(t, off + q);
                }
            }
        }
        if (ONE) {
            acc.intoArray(lanes, 0);
            accAbs.intoArray(lanes, W);
        }
        double sum = drain(lanes, 0);
        double sumAbs = drain(lanes, W);
        for (; q < n; q++) {
            float x2 = t[off + q];
            float a2 = Math.abs(x2);
            float e = exp(-a2);
            float half = a2 * 0.5f;
            sum += half + log1pSmall(e);
            sumAbs += half;
            if (tanh) {
                float th = (1f - e) / (1f + e);
                t[off + q] = x2 < 0 ? -th : th;
            }
        }
        abs[0] += sumAbs;
        return sum;
    }

    /** x[r·width + c] ← σ(x[r·width + c] + bias[c]) for rows × width. x: modified. */
    public static void sigmoidRows(float[] x, int rows, int width, float[] bias) {
        sigmoidRows(x, x, rows, width, bias);
    }

    /** x[r·width + c] ← σ(src[r·width + c] + bias[c]) for rows × width (x may be src). x: modified. */
    public static void sigmoidRows(float[] src, float[] x, int rows, int width, float[] bias) {
        sigmoidRows(src, 0, x, 0, rows, width, bias);
    }

    /** As above, src and x starting at offsets so and xo. */
    public static void sigmoidRows(float[] src, int so, float[] x, int xo, int rows, int width, float[] bias) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int bound = S.loopBound(width);
        for (int r = 0; r < rows; r++) {
            int off = r * width;
            int src0 = so + off;
            int dst0 = xo + off;
            int c = 0;
            for (; c < bound; c += S.length()) {
                FloatVector v = FloatVector.fromArray(S, src, src0 + c).add(FloatVector.fromArray(S, bias, c));
                // e^{−v}, as exp(float)
                FloatVector e = v.neg().max(-87f).min(87f);
                FloatVector t = e.lanewise(VectorOperators.FMA, LOG2E, MAGIC);
                FloatVector k = t.sub(MAGIC);
                FloatVector red = k.lanewise(VectorOperators.FMA, -LN2_HI, e);
                red = k.lanewise(VectorOperators.FMA, -LN2_LO, red);
                FloatVector p = FloatVector.broadcast(S, P[0]);
                for (int i = 1; i < P.length; i++) {
                    p = p.lanewise(VectorOperators.FMA, red, FloatVector.broadcast(S, P[i]));
                }
                IntVector ki = t.reinterpretAsInts().sub(Float.floatToRawIntBits(MAGIC));
                e = p.mul(ki.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                one.div(e.add(one)).intoArray(x, dst0 + c);
            }
            for (; c < width; c++) {
                x[dst0 + c] = 1f / (1f + exp(-(src[src0 + c] + bias[c])));
            }
        }
    }

    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int[] IOTA = new int[I.length()];

    static {
        for (int i = 0; i < IOTA.length; i++) {
            IOTA[i] = i;
        }
    }

    /** A bijective 32-bit mixer (lowbias32: two xor-shift-multiply rounds). */
    static int mix(int x) {
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        return x ^ (x >>> 16);
    }

    /**
     * out[oo + q] = 1 with probability p[po + q] (q &lt; n), else 0. One 64-bit draw from {@code rng} keys
     * the call; element q's 24-bit uniform is mix(mix(q ⊕ k1) + k2) — a bijection of q, so no two elements of
     * a call share a uniform — computed eight lanes at a time in exact integer arithmetic (the same bits in
     * every JIT tier). out may be p.
     */
    static void bernoulli(float[] p, int po, float[] out, int oo, int n, SplittableRandom rng) {
        draw(p, po, out, oo, n, rng, 0f, 1f);
    }

    /**
     * ±1 spins: out[oo + q] = +1 with probability p[po + q] (q &lt; n), else −1 — the uniforms of
     * {@link #bernoulli}, so a spin is +1 exactly where bernoulli would give 1. out may be p.
     */
    public static void spins(float[] p, int po, float[] out, int oo, int n, SplittableRandom rng) {
        draw(p, po, out, oo, n, rng, -1f, 1f);
    }

    /** out[oo + q] = hi with probability p[po + q], else lo (the uniforms of {@link #bernoulli}). */
    private static void draw(float[] p, int po, float[] out, int oo, int n, SplittableRandom rng, float lo, float hi) {
        long key = rng.nextLong();
        int k1 = (int) key;
        int k2 = (int) (key >>> 32);
        final float scale = 0x1.0p-24f;
        IntVector iota = IntVector.fromArray(I, IOTA, 0);
        FloatVector one = FloatVector.broadcast(S, hi);
        FloatVector zero = FloatVector.broadcast(S, lo);
        int q = 0;
        if (I.length() == S.length()) {
            int bound = I.loopBound(n);
            for (; q < bound; q += I.length()) {
                // mix(mix(q ⊕ k1) + k2), lane-wise, written in the loop (see exp)
                IntVector h = iota.add(q).lanewise(VectorOperators.XOR, k1);
                for (int round = 0; round < 2; round++) {
                    h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).mul(0x7feb352d);
                    h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 15)).mul(0x846ca68b);
                    h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).add(round == 0 ? k2 : 0);
                }
                FloatVector u = ((FloatVector) h.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0))
                        .mul(scale);
                zero.blend(one, u.lt(FloatVector.fromArray(S, p, po + q))).intoArray(out, oo + q);
            }
        }
        for (; q < n; q++) {
            int h = mix(mix(q ^ k1) + k2);
            out[oo + q] = (h >>> 8) * scale < p[po + q] ? hi : lo;
        }
    }

    /** In place: v[off + q] ← 1 with probability v[off + q] (q &lt; n), else 0. */
    public static void bernoulli(float[] v, int off, int n, SplittableRandom rng) {
        bernoulli(v, off, v, off, n, rng);
    }

    /** out[q] = 1 with probability p[q] (q &lt; n), else 0; out may be p. */
    public static void bernoulli(float[] p, int n, float[] out, SplittableRandom rng) {
        bernoulli(p, 0, out, 0, n, rng);
    }

    /** y[yo + q] += a · x[xo + q] for q &lt; n (a product, then a sum: the same bits as the scalar loop). y: modified. */
    public static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int q = 0;
        int bound = S.loopBound(n);
        for (; q < bound; q += S.length()) {
            FloatVector.fromArray(S, x, xo + q).mul(a).add(FloatVector.fromArray(S, y, yo + q)).intoArray(y, yo + q);
        }
        for (; q < n; q++) {
            y[yo + q] += a * x[xo + q];
        }
    }

    /** y[yo + q] = a · x[xo + q] for q &lt; n. y: modified. */
    public static void scale(float a, float[] x, int xo, float[] y, int yo, int n) {
        int q = 0;
        int bound = S.loopBound(n);
        for (; q < bound; q += S.length()) {
            FloatVector.fromArray(S, x, xo + q).mul(a).intoArray(y, yo + q);
        }
        for (; q < n; q++) {
            y[yo + q] = a * x[xo + q];
        }
    }

    /**
     * One row of a combination built in a single pass: y[yo + q] = a·w[wo + q], then for e in [from, to)
     * y += coef[e]·x[xOff[e] + q] in that order (each a product, then a sum: the same bits as {@link #scale}
     * followed by {@link #axpy} calls), for q &lt; n. Returns max |y[yo + q]| (NaN if one is NaN, as
     * {@link #maxAbs}). y: modified.
     */
    static float combineRow(float a, float[] w, int wo, float[] x, int[] xOff, float[] coef, int from, int to,
                            float[] y, int yo, int n) {
        FloatVector m = FloatVector.zero(S);
        int q = 0;
        int bound = S.loopBound(n);
        for (; q < bound; q += S.length()) {
            FloatVector acc = FloatVector.fromArray(S, w, wo + q).mul(a);
            for (int e = from; e < to; e++) {
                acc = FloatVector.fromArray(S, x, xOff[e] + q).mul(coef[e]).add(acc);
            }
            acc.intoArray(y, yo + q);
            m = m.max(acc.abs());
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; q < n; q++) {
            float acc = a * w[wo + q];
            for (int e = from; e < to; e++) {
                acc += coef[e] * x[xOff[e] + q];
            }
            y[yo + q] = acc;
            max = Math.max(max, Math.abs(acc));
        }
        return max;
    }

    /** Σ |x[xo + q]| over q &lt; n: the W partials summed in float, then they (in order) and the tail in double. */
    public static double absSum(float[] x, int xo, int n) {
        float[] lanes = lanes();
        FloatVector acc = FloatVector.zero(S);
        int q = 0;
        int bound = n - n % W;
        for (; q < bound; q += S.length()) {
            if (ONE) {
                acc = acc.add(FloatVector.fromArray(S, x, xo + q).abs());
            } else {
                addInto(lanes, 0, q, FloatVector.fromArray(S, x, xo + q).abs());
            }
        }
        if (ONE) {
            acc.intoArray(lanes, 0);
        }
        double sum = drain(lanes, 0);
        for (; q < n; q++) {
            sum += Math.abs(x[xo + q]);
        }
        return sum;
    }

    /** max |x[xo + q]| over q &lt; n (0 for n = 0; NaN if any element is NaN, as Math.max). */
    public static float maxAbs(float[] x, int xo, int n) {
        FloatVector m = FloatVector.zero(S);
        int q = 0;
        int bound = S.loopBound(n);
        for (; q < bound; q += S.length()) {
            m = m.max(FloatVector.fromArray(S, x, xo + q).abs());
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; q < n; q++) {
            max = Math.max(max, Math.abs(x[xo + q]));
        }
        return max;
    }

    /**
     * The indices of the two largest of x[off .. off + n) into top[0], top[1] — the lowest index among
     * equal values first, the second the lowest index other than the first among the remaining largest —
     * found with one vector pass and two compare scans. Returns false (top untouched) when n is shorter
     * than a vector or a value is NaN, for the caller's scalar path.
     */
    static boolean top2(float[] x, int off, int n, int[] top) {
        if (n < S.length()) {
            return false;
        }
        // one pass: each lane keeps its largest and second largest (min/max network)
        FloatVector m1 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector m2 = m1;
        int bound = S.loopBound(n);
        for (int q = 0; q < bound; q += S.length()) {
            FloatVector c = FloatVector.fromArray(S, x, off + q);
            m2 = m2.max(c.min(m1));
            m1 = m1.max(c);
        }
        float f1 = m1.reduceLanes(VectorOperators.MAX);
        if (f1 != f1) { // a NaN lane stays NaN under max
            return false;
        }
        // second largest of the multiset of lanes: another lane's maximum, f1 again, or a lane's second
        VectorMask<Float> atMax = m1.eq(f1);
        float f2 = Math.max(m2.reduceLanes(VectorOperators.MAX),
                m1.blend(Float.NEGATIVE_INFINITY, atMax).reduceLanes(VectorOperators.MAX));
        if (atMax.trueCount() > 1) {
            f2 = f1;
        }
        for (int q = bound; q < n; q++) {
            float a = x[off + q];
            if (a != a) {
                return false;
            }
            if (a > f1) {
                f2 = f1;
                f1 = a;
            } else if (a > f2) {
                f2 = a;
            }
        }
        int first = indexOf(x, off, n, f1, -1);
        top[0] = first;
        top[1] = indexOf(x, off, n, f2, first);
        return true;
    }

    /** The lowest q &lt; n, q ≠ skip, with x[off + q] == value; −1 if none. */
    private static int indexOf(float[] x, int off, int n, float value, int skip) {
        int bound = S.loopBound(n);
        int q = 0;
        for (; q < bound; q += S.length()) {
            if (FloatVector.fromArray(S, x, off + q).eq(value).anyTrue()) {
                for (int t = q; t < q + S.length(); t++) {
                    if (t != skip && x[off + t] == value) {
                        return t;
                    }
                }
            }
        }
        for (; q < n; q++) {
            if (q != skip && x[off + q] == value) {
                return q;
            }
        }
        return -1;
    }
}
