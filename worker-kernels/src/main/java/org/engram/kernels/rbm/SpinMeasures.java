package org.engram.kernels.rbm;

import java.util.SplittableRandom;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;

/**
 * What the RAPID paper measures on a ±1 RBM, in the authors' protocols (REFERENCE-NOTES): Gibbs ground-state
 * accessibility (Figs. 1, 2a), reconstruction Hamming distance of partial images (Appendix C, Figs. 3, 5) and the
 * singular values of W (Fig. 4).
 */
public final class SpinMeasures {
    private SpinMeasures() {
    }

    /**
     * Gibbs accessibility: {@code chains} random ±1 visible states run {@code steps} Gibbs sweeps (h|v, then
     * v|h); the lowest energy −vᵀWh of a final (v, h) pair, divided by the ground-state energy (both negative:
     * 1 = the ground state was reached, smaller = higher energies).
     */
    public static double gibbsAccessibility(SpinRbm rbm, double groundEnergy, int chains, int steps,
                                            SplittableRandom rng) {
        float[] v = SpinRbm.randomSpins(chains, rbm.visible, rng);
        float[] h = new float[chains * rbm.hidden];
        rbm.gibbs(v, chains, steps, h, rng);
        float[] scratch = new float[chains * rbm.hidden];
        return rbm.minEnergy(v, h, chains, scratch) / groundEnergy;
    }

    /**
     * Appendix C: each of the n images (n × V, ±1) with only its {@code keep} pixels kept and the others set to
     * 0, {@code copies} copies, ONE Gibbs step (h ~ P(h|v), then every visible unit resampled from P(v|h));
     * the mean over images, copies and pixels of |v − image|/2 (0 = perfect, ½ = chance).
     *
     * @param keep per image, which pixels are kept (n × V)
     */
    public static double reconstructionDistance(SpinRbm rbm, float[] images, int n, boolean[] keep, int copies,
                                                SplittableRandom rng) {
        int vis = rbm.visible;
        float[] v = new float[copies * vis];
        double total = 0;
        for (int img = 0; img < n; img++) {
            for (int c = 0; c < copies; c++) {
                for (int i = 0; i < vis; i++) {
                    int q = img * vis + i;
                    v[c * vis + i] = keep[q] ? images[q] : 0f;
                }
            }
            rbm.gibbs(v, copies, 1, null, rng);
            double d = 0;
            for (int c = 0; c < copies; c++) {
                for (int i = 0; i < vis; i++) {
                    d += Math.abs(v[c * vis + i] - images[img * vis + i]) / 2;
                }
            }
            total += d / (copies * vis);
        }
        return total / n;
    }

    /** The singular values of W (V × H), largest first (Hipparchus SVD). */
    public static double[] singularValues(SpinRbm rbm) {
        double[][] m = new double[rbm.visible][rbm.hidden];
        for (int i = 0; i < rbm.visible; i++) {
            for (int a = 0; a < rbm.hidden; a++) {
                m[i][a] = rbm.w[i * rbm.hidden + a];
            }
        }
        return new SingularValueDecomposition(new Array2DRowRealMatrix(m, false)).getSingularValues();
    }
}
