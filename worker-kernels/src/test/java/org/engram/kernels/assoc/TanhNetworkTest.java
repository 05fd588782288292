package org.engram.kernels.assoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Eq. 27's dynamics, the Jacobian of eq. 28 and the classification of fixed points (§5.4, App. A). */
class TanhNetworkTest {
    @Test
    void theJacobianEqualsAFiniteDifferenceJacobian() {
        SplittableRandom r = new SplittableRandom(1);
        int nh = 4;
        int nv = 9;
        TanhNetwork net = new TanhNetwork(TanhNetwork.gaussianMemories(nh, nv, r), nh, nv);
        double[] v = Memories.gaussians(nv, 1, r);
        double[] j = net.jacobian(v);
        double h = 1e-6;
        for (int k = 0; k < nv; k++) {
            double[] a = v.clone();
            double[] b = v.clone();
            a[k] += h;
            b[k] -= h;
            double[] fa = net.psi(a);
            double[] fb = net.psi(b);
            for (int i = 0; i < nv; i++) {
                assertEquals((fa[i] - fb[i]) / (2 * h), j[i * nv + k], 1e-7, "∂ψ_" + i + "/∂v_" + k);
            }
        }
        // the Jacobian's eigenvalues are μ − 1 with μ from the symmetric form
        double[] fromJ = Arrays.stream(new org.hipparchus.linear.EigenDecompositionNonSymmetric(
                new org.hipparchus.linear.Array2DRowRealMatrix(square(j, nv))).getEigenvalues())
                .mapToDouble(org.hipparchus.complex.Complex::getReal).toArray();
        Arrays.sort(fromJ);
        double[] mu = net.mu(v);
        for (int i = 0; i < nv; i++) {
            assertEquals(mu[i] - 1, fromJ[i], 1e-9);
        }
    }

    @Test
    void atZeroWithZeroBiasesTheJacobianIsEq29AndTheGramSpectrumIsTheNonzeroSpectrumOfXiTXi() {
        SplittableRandom r = new SplittableRandom(2);
        int nh = 3;
        int nv = 7;
        double[] xi = TanhNetwork.gaussianMemories(nh, nv, r);
        TanhNetwork net = new TanhNetwork(xi, nh, nv);
        double[] zero = new double[nv];
        double[] j = net.jacobian(zero);
        for (int i = 0; i < nv; i++) {
            for (int k = 0; k < nv; k++) {
                double s = 0;
                for (int mu = 0; mu < nh; mu++) {
                    s += xi[mu * nv + i] * xi[mu * nv + k];
                }
                assertEquals(s - (i == k ? 1 : 0), j[i * nv + k], 1e-12, "eq. 29: −1 + ΞᵀΞ");
            }
        }
        assertEquals(0, TanhNetwork.norm(net.psi(zero)), 0, "v* = 0 is a fixed point");
        double[] mu = net.mu(zero);
        double[] gram = net.gramEigenvalues();
        for (int k = 0; k < nv - nh; k++) {
            assertEquals(0, mu[k], 1e-12, "N_v − N_h zero eigenvalues");
        }
        for (int k = 0; k < nh; k++) {
            assertEquals(gram[k], mu[nv - nh + k], 1e-10);
        }
    }

    @Test
    void newtonFindsSaddlesAndRelaxationFindsStableFixedPoints() {
        SplittableRandom r = new SplittableRandom(3);
        int nh = 3;
        int nv = 30;
        TanhNetwork net = new TanhNetwork(TanhNetwork.gaussianMemories(nh, nv, r), nh, nv);
        // α = 0.1 < 1/4: the Gram spectrum lies above 1 and the zero fixed point is a hyperbolic saddle
        assertTrue(net.gramEigenvalues()[0] > 1);
        TanhNetwork.FixedPoint zero = net.classify(new double[nv], 1e-6);
        assertTrue(zero.hyperbolic() && !zero.stable());
        double[] start = Memories.gaussians(nv, 1, r);
        double[] stable = net.relax(start, 0.1, 100_000, 1e-10);
        assertNotNull(stable);
        TanhNetwork.FixedPoint s = net.classify(stable, 1e-6);
        assertTrue(s.stable() && s.hyperbolic() && s.residual() <= 1e-10, Arrays.toString(s.mu()));
        double[] n = net.newton(new double[nv], 50, 1e-12);
        assertNotNull(n);
        assertEquals(0, TanhNetwork.norm(n), 1e-12, "Newton from the zero fixed point stays there");
    }

    @Test
    void theSmallestGramEigenvalueIsBoundedByTheSmallestRowNormAndApproachesTheMarchenkoPasturEdge() {
        // interlacing: λ_min(ΞΞᵀ) ≤ min_μ |ξ_μ|²; and at α = 0.1, N_v = 400 (N_h = 40) λ_min is within 15% of
        // (1 − √10)² = 4.68 (finite size puts it above the edge)
        SplittableRandom r = new SplittableRandom(4);
        int nh = 40;
        int nv = 400;
        double[] xi = TanhNetwork.gaussianMemories(nh, nv, r);
        double lambda = new TanhNetwork(xi, nh, nv).gramEigenvalues()[0];
        double minRow = Double.POSITIVE_INFINITY;
        for (int mu = 0; mu < nh; mu++) {
            minRow = Math.min(minRow, Memories.dot(xi, mu, xi, mu, nv));
        }
        assertTrue(lambda <= minRow, lambda + " > " + minRow);
        double edge = Math.pow(1 - Math.sqrt(10), 2);
        assertEquals(edge, lambda, 0.15 * edge);
    }

    private static double[][] square(double[] m, int n) {
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m, i * n, out[i], 0, n);
        }
        return out;
    }
}
