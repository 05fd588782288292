package org.engram.kernels.rbm;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise parts of Gibbs sampling, fused and vectorised (jdk.incubator.vector): bias +
 * logistic in place, and Bernoulli sampling from 24-bit uniforms, two per 64-bit draw.
 * Allocation-free.
 *
 * <p>The exponential is computed here from IEEE adds, multiplies, fused multiply-adds and bit
 * shifts only (Cody–Waite range reduction, degree-6 polynomial, 2^k by exponent bits; relative error
 * &lt; 2e-7), not with {@code VectorOperators.EXP}: that one is an SVML intrinsic in compiled code but
 * a per-lane {@code Math.exp} in the interpreter, so its last bit depends on when the JIT compiled
 * the loop — and results would depend on how work was scheduled. These operations are exact, so
 * the same inputs give the same bits in every tier, on every core count.
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

    /** e^x for |x| ≤ 87 (clamped outside), deterministic: see the class comment. */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87f).min(87f);
        FloatVector t = x.lanewise(VectorOperators.FMA, LOG2E, MAGIC);
        FloatVector k = t.sub(MAGIC);
        FloatVector r = k.lanewise(VectorOperators.FMA, -LN2_HI, x);
        r = k.lanewise(VectorOperators.FMA, -LN2_LO, r);
        FloatVector p = FloatVector.broadcast(x.species(), P[0]);
        for (int i = 1; i < P.length; i++) {
            p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(x.species(), P[i]));
        }
        IntVector ki = t.reinterpretAsInts().sub(Float.floatToRawIntBits(MAGIC));
        FloatVector scale = ki.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale);
    }

    /** The same e^x, one value (the same operations, so the same bits). */
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

    /** x[r·width + c] ← σ(x[r·width + c] + bias[c]) for rows × width. x: modified. */
    public static void sigmoidRows(float[] x, int rows, int width, float[] bias) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int bound = S.loopBound(width);
        for (int r = 0; r < rows; r++) {
            int off = r * width;
            int c = 0;
            for (; c < bound; c += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, off + c).add(FloatVector.fromArray(S, bias, c));
                one.div(exp(v.neg()).add(one)).intoArray(x, off + c);
            }
            for (; c < width; c++) {
                x[off + c] = 1f / (1f + exp(-(x[off + c] + bias[c])));
            }
        }
    }

    /** In place: v[off + q] ← 1 with probability v[off + q] (q &lt; n), else 0. */
    public static void bernoulli(float[] v, int off, int n, SplittableRandom rng) {
        final float scale = 0x1.0p-24f;
        for (int q = 0; q < n; q++) {
            v[off + q] = ((int) (rng.nextLong() >>> 40)) * scale < v[off + q] ? 1f : 0f;
        }
    }

    /** out[q] = 1 with probability p[q] (q &lt; n), else 0; out may be p. */
    public static void bernoulli(float[] p, int n, float[] out, SplittableRandom rng) {
        final float scale = 0x1.0p-24f;
        int q = 0;
        for (; q + 1 < n; q += 2) {
            long bits = rng.nextLong();
            float u0 = (int) (bits >>> 40) * scale;
            float u1 = (int) ((bits >>> 8) & 0xFFFFFF) * scale;
            out[q] = u0 < p[q] ? 1f : 0f;
            out[q + 1] = u1 < p[q + 1] ? 1f : 0f;
        }
        if (q < n) {
            out[q] = ((int) (rng.nextLong() >>> 40)) * scale < p[q] ? 1f : 0f;
        }
    }
}
