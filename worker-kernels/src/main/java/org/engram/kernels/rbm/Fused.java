package org.engram.kernels.rbm;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise parts of Gibbs sampling, fused and vectorised (jdk.incubator.vector: the SIMD
 * exp is ≈ 10× the scalar Math.exp here): bias + logistic in place, and Bernoulli sampling from
 * 24-bit uniforms, two per 64-bit draw. Allocation-free.
 */
public final class Fused {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Fused() {
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
                one.div(v.neg().lanewise(VectorOperators.EXP).add(one)).intoArray(x, off + c);
            }
            for (; c < width; c++) {
                x[off + c] = (float) Rbm.sigmoid(x[off + c] + bias[c]);
            }
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
