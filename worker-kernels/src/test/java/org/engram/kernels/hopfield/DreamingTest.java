package org.engram.kernels.hopfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** Eqs. 8–10 and the closed form eq. 9 / A37 against direct matrix algebra (REFERENCE-NOTES' exact identities). */
class DreamingTest {
    static final int N = 60;
    static final int P = 12;

    /** J0 = (1/N) Ξᵀ Ξ with its diagonal, N × N doubles. */
    static RealMatrix j0(float[] xi) {
        double[][] j = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < N; k++) {
                double s = 0;
                for (int mu = 0; mu < P; mu++) {
                    s += xi[mu * N + i] * xi[mu * N + k];
                }
                j[i][k] = s / N;
            }
        }
        return new Array2DRowRealMatrix(j, false);
    }

    static double maxOffDiagonalDifference(RealMatrix a, float[] b) {
        double d = 0;
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < N; k++) {
                if (i != k) {
                    d = Math.max(d, Math.abs(a.getEntry(i, k) - b[i * N + k]));
                }
            }
        }
        return d;
    }

    @Test
    void woodburyFormEqualsTheDirectInverse() {
        float[] xi = Patterns.random(P, N, new SplittableRandom(1));
        double lambda2 = 0.7;
        RealMatrix j0 = j0(xi);
        RealMatrix direct = j0.multiply(new LUDecomposition(MatrixUtils.createRealIdentityMatrix(N)
                .add(j0.scalarMultiply(lambda2))).getSolver().getInverse());
        float[] closed = Couplings.spectral(xi, P, N, Couplings.closedForm(lambda2));
        assertTrue(maxOffDiagonalDifference(direct, closed) < 2e-6, "" + maxOffDiagonalDifference(direct, closed));
        // and it is a real change: the dreamt couplings differ from Hebb's by far more than the tolerance
        assertTrue(maxOffDiagonalDifference(j0, closed) > 1e-2);
    }

    @Test
    void repeatedSmallDreamingStepsApproachTheClosedForm() {
        float[] xi = Patterns.random(P, N, new SplittableRandom(2));
        double eps = 1e-4;
        int steps = 7000; // nε = 0.7
        RealMatrix j = j0(xi);
        for (int s = 0; s < steps; s++) {
            j = j.subtract(j.multiply(j).scalarMultiply(eps));
        }
        float[] iterated = Couplings.spectral(xi, P, N, Couplings.iterated(eps, steps, 1));
        float[] closed = Couplings.spectral(xi, P, N, Couplings.closedForm(eps * steps));
        // the spectral iteration is eq. 10 repeated, exactly (up to float rounding)
        assertTrue(maxOffDiagonalDifference(j, iterated) < 2e-6, "" + maxOffDiagonalDifference(j, iterated));
        // and n small steps approach J0 (1 + nε J0)⁻¹: REFERENCE-NOTES measure ≈ 4e-6 at these values
        double gap = maxOffDiagonalDifference(j, closed);
        assertTrue(gap < 2e-5 && gap > 1e-7, "gap " + gap);
        // the gap closes as ε → 0 at fixed nε (it is O(ε): a fifth at ε = 2e-5)
        RealMatrix fine = j0(xi);
        for (int s = 0; s < 35_000; s++) {
            fine = fine.subtract(fine.multiply(fine).scalarMultiply(2e-5));
        }
        assertTrue(maxOffDiagonalDifference(fine, closed) < gap / 3);
    }

    @Test
    void aZeroMapIsNoCouplingAndTheIdentityMapIsHebb() {
        float[] xi = Patterns.random(P, N, new SplittableRandom(3));
        float[] same = Couplings.spectral(xi, P, N, x -> x);
        float[] hebb = Couplings.hebb(xi, P, N);
        for (int k = 0; k < same.length; k++) {
            assertEquals(hebb[k], same[k], 1e-6);
        }
    }

    @Test
    void keepingTheDiagonalAddsAlphaOnItAndChangesNothingElse() {
        float[] xi = Patterns.random(P, N, new SplittableRandom(4));
        float[] kept = Couplings.hebb(xi, P, N, true);
        float[] zeroed = Couplings.hebb(xi, P, N, false);
        float[] dreamtKept = Couplings.spectral(xi, P, N, Couplings.closedForm(0.5), true);
        RealMatrix j0 = j0(xi);
        RealMatrix closed = j0.multiply(MatrixUtils.inverse(MatrixUtils.createRealIdentityMatrix(N).add(
                j0.scalarMultiply(0.5))));
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < N; k++) {
                assertEquals(i == k ? (double) P / N : zeroed[i * N + k], kept[i * N + k], 1e-6);
                // the dreamt diagonal is J0 (1 + λ² J0)⁻¹'s own, not α
                assertEquals(closed.getEntry(i, k), dreamtKept[i * N + k], 1e-5);
            }
        }
    }
}
