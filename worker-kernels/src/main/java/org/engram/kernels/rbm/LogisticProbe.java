package org.engram.kernels.rbm;

import dev.ludovic.netlib.blas.BLAS;
import java.util.function.DoubleConsumer;
import org.hipparchus.optim.ConvergenceChecker;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.MaxIter;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleValueChecker;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.hipparchus.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;

/**
 * Multinomial logistic regression (softmax) — the RAPID paper's probe of what a hidden layer has learnt (Sec. V B:
 * logistic regression on sampled hidden states, 93.84% on MNIST's test set). The objective is scikit-learn's:
 * Σ_n cross-entropy_n + ‖W‖²/(2C), intercepts unpenalised, divided by the row count; minimised by Hipparchus'
 * Polak–Ribière nonlinear conjugate gradient with the analytic gradient, whose products go through sgemm.
 * Rows are float features (rows × d, row-major), labels 0 … classes − 1.
 */
public final class LogisticProbe {
    private final int features;
    private final int classes;
    /** d × C weights then C intercepts. */
    private final float[] w;
    private final int iterations;

    private LogisticProbe(int features, int classes, float[] w, int iterations) {
        this.features = features;
        this.classes = classes;
        this.w = w;
        this.iterations = iterations;
    }

    /** Conjugate-gradient iterations the fit took. */
    public int iterations() {
        return iterations;
    }

    /** Fits the probe on rows × d features with labels y, penalty 1/C, at most maxIterations CG iterations. */
    public static LogisticProbe fit(float[] x, byte[] y, int rows, int features, int classes, double c,
                                    int maxIterations) {
        return fit(x, y, rows, features, classes, c, maxIterations, done -> { });
    }

    /**
     * The same, telling {@code progress} after each CG iteration the fraction of maxIterations done (a probe on
     * 60,000 × 3000 hidden states takes minutes: most fits run to the cap).
     */
    public static LogisticProbe fit(float[] x, byte[] y, int rows, int features, int classes, double c,
                                    int maxIterations, DoubleConsumer progress) {
        Objective f = new Objective(x, y, rows, features, classes, c);
        SimpleValueChecker values = new SimpleValueChecker(1e-10, 1e-12, maxIterations);
        ConvergenceChecker<PointValuePair> checker = (iteration, previous, current) -> {
            progress.accept(Math.min(1, iteration / (double) maxIterations));
            return values.converged(iteration, previous, current);
        };
        // the line search brackets from a step of 1 (the default 1e-8 stalls after ~20 iterations with the value
        // unchanged, which the value checker took for convergence: 90% instead of 92% on raw MNIST); the checker
        // stops at maxIterations itself, returning the point reached, instead of MaxIter's exception
        NonLinearConjugateGradientOptimizer opt = new NonLinearConjugateGradientOptimizer(
                NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE,
                checker, 1e-6, 1e-12, 1.0);
        PointValuePair best = opt.optimize(new MaxEval(Integer.MAX_VALUE), new MaxIter(Integer.MAX_VALUE),
                new ObjectiveFunction(f::value), new ObjectiveFunctionGradient(f::gradient), GoalType.MINIMIZE,
                new InitialGuess(new double[(features + 1) * classes]));
        double[] p = best.getPoint();
        float[] w = new float[p.length];
        for (int q = 0; q < p.length; q++) {
            w[q] = (float) p[q];
        }
        return new LogisticProbe(features, classes, w, opt.getIterations());
    }

    /** The fraction of rows whose most probable class is their label. */
    public double accuracy(float[] x, byte[] y, int rows) {
        float[] logits = logits(x, rows, w, features, classes);
        int right = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (logits[r * classes + k] > logits[r * classes + best]) {
                    best = k;
                }
            }
            right += best == y[r] ? 1 : 0;
        }
        return right / (double) rows;
    }

    static float[] logits(float[] x, int rows, float[] w, int d, int classes) {
        float[] out = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(w, d * classes, out, r * classes, classes);
        }
        // out (rows × C) += x (rows × d) · W (d × C)
        BLAS.getInstance().sgemm("N", "N", classes, rows, d, 1f, w, 0, classes, x, 0, d, 1f, out, 0, classes);
        return out;
    }

    /**
     * The objective and its gradient, sharing the logits of one point: the line search asks only values, so the
     * gradient's product (the second sgemm) is made when a gradient is asked.
     */
    static final class Objective {
        private final float[] x;
        private final byte[] y;
        private final int rows;
        private final int d;
        private final int classes;
        private final double c;
        private double[] lastPoint;
        private double lastValue;
        /** (softmax − one-hot) / rows at lastPoint, rows × C; the gradient's other factor. */
        private float[] residual;
        private double[] lastGradient;

        Objective(float[] x, byte[] y, int rows, int d, int classes, double c) {
            this.x = x;
            this.y = y;
            this.rows = rows;
            this.d = d;
            this.classes = classes;
            this.c = c;
        }

        double value(double[] p) {
            evaluate(p);
            return lastValue;
        }

        double[] gradient(double[] p) {
            evaluate(p);
            if (lastGradient == null) {
                lastGradient = gradientAt(p);
            }
            return lastGradient.clone();
        }

        private void evaluate(double[] p) {
            if (lastPoint != null && java.util.Arrays.equals(p, lastPoint)) {
                return;
            }
            float[] w = new float[p.length];
            for (int q = 0; q < p.length; q++) {
                w[q] = (float) p[q];
            }
            float[] z = logits(x, rows, w, d, classes);
            double loss = 0;
            // z ← (softmax − one-hot) / rows, row by row
            for (int r = 0; r < rows; r++) {
                int o = r * classes;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    max = Math.max(max, z[o + k]);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    sum += Math.exp(z[o + k] - max);
                }
                double logSum = max + Math.log(sum);
                loss += logSum - z[o + y[r]];
                for (int k = 0; k < classes; k++) {
                    double pk = Math.exp(z[o + k] - logSum);
                    z[o + k] = (float) ((pk - (k == y[r] ? 1 : 0)) / rows);
                }
            }
            double penalty = 0;
            for (int q = 0; q < d * classes; q++) {
                penalty += p[q] * p[q];
            }
            lastValue = loss / rows + penalty / (2 * c * rows);
            residual = z;
            lastGradient = null;
            lastPoint = p.clone();
        }

        private double[] gradientAt(double[] p) {
            float[] z = residual;
            float[] g = new float[p.length];
            // g_W (d × C) = xᵀ (rows × d)ᵀ · z (rows × C)
            BLAS.getInstance().sgemm("N", "T", classes, d, rows, 1f, z, 0, classes, x, 0, d, 0f, g, 0, classes);
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < classes; k++) {
                    g[d * classes + k] += z[r * classes + k];
                }
            }
            double[] grad = new double[p.length];
            for (int q = 0; q < p.length; q++) {
                grad[q] = g[q];
                if (q < d * classes) {
                    grad[q] += p[q] / (c * rows);
                }
            }
            return grad;
        }
    }
}
