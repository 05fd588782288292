package org.engram.kernels.assoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The quasi-equilibrium network of eqs. 3–9: its energy never rises along the dynamics (eqs. 6, 8). */
class SoftmaxNetworkTest {
    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void energyDecreasesAlongEq9UntilAFixedPoint() {
        for (SoftmaxNetwork.Activation act : SoftmaxNetwork.Activation.values()) {
            SplittableRandom r = new SplittableRandom(11);
            int nh = 5;
            int nv = 30;
            double[] xi = Memories.gaussians(nh * nv, 1 / Math.sqrt(nv), r);
            SoftmaxNetwork net = new SoftmaxNetwork(xi, nh, nv, 4, act);
            double[] v = Memories.gaussians(nv, 2, r);
            double e = net.energy(v);
            double start = e;
            for (int step = 0; step < 3000; step++) {
                net.step(v, 0.01);
                double next = net.energy(v);
                assertTrue(next <= e + 1e-12, act + " step " + step + ": " + e + " -> " + next);
                e = next;
            }
            assertTrue(e < start, act + ": the energy went down");
            assertTrue(norm(net.velocity(v)) < 1e-3, act + ": at rest, |dv/dt| = " + norm(net.velocity(v)));
        }
    }

    @Test
    void theEnergyGradientIsMinusHvTimesTheVelocity() {
        // dE = dg · (v − Ξᵀ w) (eqs. 4–5): ∂E/∂v_i = −g'(v_i) · τ_v v̇_i, checked by central differences
        SplittableRandom r = new SplittableRandom(5);
        int nh = 3;
        int nv = 8;
        double[] xi = Memories.gaussians(nh * nv, 1, r);
        SoftmaxNetwork net = new SoftmaxNetwork(xi, nh, nv, 1.5, SoftmaxNetwork.Activation.TANH);
        double[] v = Memories.gaussians(nv, 1, r);
        double[] vel = net.velocity(v);
        for (int i = 0; i < nv; i++) {
            double h = 1e-6;
            double[] a = v.clone();
            double[] b = v.clone();
            a[i] += h;
            b[i] -= h;
            double numeric = (net.energy(a) - net.energy(b)) / (2 * h);
            double gPrime = 1 - Math.tanh(v[i]) * Math.tanh(v[i]);
            assertEquals(-gPrime * vel[i], numeric, 1e-6, "component " + i);
        }
    }
}
