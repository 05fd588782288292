package org.engram.kernels.data;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;

/**
 * The thesis' "projected" datasets (§7.1.1): a fixed random linear projection of the ±1 images to
 * {@code out} dimensions, then binarised again (sign, 0 → +1). The projection matrix is Gaussian and
 * drawn from its own seed only, so every model, seed and split of a sweep sees the same projection.
 */
public final class Projection {
    private Projection() {
    }

    /** rows × in ±1 values → rows × out ±1 values. */
    public static float[] project(float[] spins, int rows, int in, int out, long seed) {
        return project(spins, rows, in, out, seed, null);
    }

    /** The mean of rows × in values, per column (the mean image). */
    public static float[] mean(float[] x, int rows, int in) {
        double[] m = new double[in];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                m[i] += x[r * in + i];
            }
        }
        float[] out = new float[in];
        for (int i = 0; i < in; i++) {
            out[i] = (float) (m[i] / rows);
        }
        return out;
    }

    /**
     * rows × in values, minus {@code mean} per column when it is given (centred inputs: a pixel that is −1 in
     * almost every image then contributes almost nothing), → rows × out ±1 values.
     */
    public static float[] project(float[] spins, int rows, int in, int out, long seed, float[] mean) {
        if (spins.length != (long) rows * in) {
            throw new IllegalArgumentException("expected " + rows + " × " + in + " values, got " + spins.length);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] pm = new float[out * in]; // row-major out × in
        for (int i = 0; i < pm.length; i++) {
            pm[i] = (float) rng.nextGaussian();
        }
        float[] xs = spins;
        if (mean != null) {
            xs = new float[spins.length];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < in; i++) {
                    xs[r * in + i] = spins[r * in + i] - mean[i];
                }
            }
        }
        float[] y = new float[rows * out];
        // y (column-major out × rows) = P (row-major out × in, i.e. column-major in × out, transposed) · X
        BLAS.getInstance().sgemm("T", "N", out, rows, in, 1f, pm, in, xs, in, 0f, y, out);
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] >= 0f ? 1f : -1f;
        }
        return y;
    }

}
