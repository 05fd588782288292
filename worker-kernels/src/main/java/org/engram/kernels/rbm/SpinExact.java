package org.engram.kernels.rbm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exact quantities of a ±1 RBM without biases ({@link SpinRbm}) by enumerating the visible states (V ≤ 24), the
 * hidden layer summed analytically: log Z = log Σ_v e^{−F(v)}, the model correlation ⟨v tanh(vᵀW)⟩_model (the
 * negative phase of the exact gradient, eq. A5–A6), and the ground-state energy min_v −Σ_a |(vᵀW)_a| (h = sign
 * of its field) with a ground state.
 *
 * <p>Since F(v) = F(−v) and v·tanh(vᵀW) is even too, only the 2^{V−1} states with v_{V−1} = +1 are enumerated and
 * the sums doubled. The states go through sgemm in blocks of {@link #BLOCK}; the half space is cut into
 * {@link #CHUNKS} fixed chunks, each summed with its own running maximum (streaming log-sum-exp), and the chunks
 * combined in order — so the result does not depend on how many threads ran the chunks.
 */
public final class SpinExact {
    /** States per sgemm block. */
    static final int BLOCK = 512;
    /** Fixed chunks of the half space (the unit of parallel work and of the combination order). */
    static final int CHUNKS = 16;
    public static final int MAX_VISIBLE = 24;

    private SpinExact() {
    }

    /**
     * What an enumeration gives.
     *
     * @param logZ         log Σ_v e^{−F(v)} over all 2^V states
     * @param groundEnergy min over (v, h) of −vᵀWh
     * @param groundState  a visible ground state (±1; its negation is one too)
     * @param correlation  ⟨v_i tanh((vᵀW)_a)⟩_model as V × H row-major, or null when not asked for
     */
    public record Result(double logZ, double groundEnergy, float[] groundState, double[] correlation) {
    }

    /** log Z and the ground state only. */
    public static Result partition(SpinRbm rbm, int threads) {
        return enumerate(rbm, false, threads);
    }

    /** The ground state only (logZ NaN): a third of the work of {@link #partition}. */
    public static Result ground(SpinRbm rbm, int threads) {
        return run(rbm, Mode.GROUND, threads);
    }

    /** Everything, including the model correlation of the exact gradient when asked. */
    public static Result enumerate(SpinRbm rbm, boolean correlation, int threads) {
        return run(rbm, correlation ? Mode.CORRELATION : Mode.PARTITION, threads);
    }

    private enum Mode { GROUND, PARTITION, CORRELATION }

    private static Result run(SpinRbm rbm, Mode mode, int threads) {
        boolean correlation = mode == Mode.CORRELATION;
        if (rbm.visible > MAX_VISIBLE) {
            throw new IllegalArgumentException("exact enumeration needs visible ≤ " + MAX_VISIBLE + ", found "
                    + rbm.visible);
        }
        long half = 1L << (rbm.visible - 1);
        int chunks = (int) Math.min(CHUNKS, Math.max(1, half / BLOCK));
        long per = (half + chunks - 1) / chunks;
        List<Chunk> parts = new ArrayList<>();
        if (threads <= 1 || chunks == 1) {
            for (int c = 0; c < chunks; c++) {
                parts.add(chunk(rbm, c * per, Math.min(half, (c + 1) * per), mode));
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, chunks));
            try {
                List<Future<Chunk>> fs = new ArrayList<>();
                for (int c = 0; c < chunks; c++) {
                    long from = c * per;
                    long to = Math.min(half, (c + 1) * per);
                    fs.add(pool.submit(() -> chunk(rbm, from, to, mode)));
                }
                for (Future<Chunk> f : fs) {
                    parts.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (Chunk p : parts) {
            max = Math.max(max, p.max);
        }
        double sum = 0;
        double ground = Double.POSITIVE_INFINITY;
        long groundCode = 0;
        double[] corr = correlation ? new double[rbm.visible * rbm.hidden] : null;
        for (Chunk p : parts) {
            double scale = Math.exp(p.max - max);
            sum += p.sum * scale;
            if (corr != null) {
                for (int q = 0; q < corr.length; q++) {
                    corr[q] += p.corr[q] * scale;
                }
            }
            if (p.ground < ground) {
                ground = p.ground;
                groundCode = p.groundCode;
            }
        }
        if (corr != null) {
            for (int q = 0; q < corr.length; q++) {
                corr[q] /= sum; // the half-space sums: numerator and denominator both halves
            }
        }
        double logZ = mode == Mode.GROUND ? Double.NaN : max + Math.log(2 * sum);
        float[] gs = new float[rbm.visible];
        fill(groundCode, rbm.visible, gs, 0);
        return new Result(logZ, ground, gs, corr);
    }

    /** The ±1 state of code c: v_i = +1 where bit i is set, v_{V−1} = +1 (the half space). */
    static void fill(long code, int n, float[] out, int off) {
        for (int i = 0; i < n - 1; i++) {
            out[off + i] = ((code >>> i) & 1) != 0 ? 1f : -1f;
        }
        out[off + n - 1] = 1f;
    }

    private record Chunk(double max, double sum, float[] corr, double ground, long groundCode) {
    }

    private static Chunk chunk(SpinRbm rbm, long from, long to, Mode mode) {
        boolean correlation = mode == Mode.CORRELATION;
        int v = rbm.visible;
        int h = rbm.hidden;
        float[] states = new float[BLOCK * v];
        float[] fields = new float[BLOCK * h];
        float[] corr = correlation ? new float[v * h] : null;
        double[] logw = new double[BLOCK];
        double[] abs = new double[1];
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double ground = Double.POSITIVE_INFINITY;
        long groundCode = from;
        dev.ludovic.netlib.blas.BLAS blas = dev.ludovic.netlib.blas.BLAS.getInstance();
        for (long start = from; start < to; start += BLOCK) {
            int rows = (int) Math.min(BLOCK, to - start);
            for (int r = 0; r < rows; r++) {
                fill(start + r, v, states, r * v);
            }
            rbm.hiddenFields(states, 0, rows, 2f, fields, 0);
            if (mode == Mode.GROUND) {
                for (int r = 0; r < rows; r++) {
                    double e = -0.5 * Fused.absSum(fields, r * h, h);
                    if (e < ground) {
                        ground = e;
                        groundCode = start + r;
                    }
                }
                continue;
            }
            double blockMax = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                // log-weight −F(v); ground: −Σ|field|; with the correlation, the fields become tanh(field)
                abs[0] = 0;
                logw[r] = Fused.logCoshRow(fields, r * h, h, corr != null, abs);
                blockMax = Math.max(blockMax, logw[r]);
                if (-abs[0] < ground) {
                    ground = -abs[0];
                    groundCode = start + r;
                }
            }
            if (blockMax > max) {
                double rescale = Math.exp(max - blockMax);
                sum *= rescale;
                if (corr != null && max != Double.NEGATIVE_INFINITY) {
                    Fused.scale((float) rescale, corr, 0, corr, 0, corr.length);
                }
                max = blockMax;
            }
            if (corr == null) {
                for (int r = 0; r < rows; r++) {
                    sum += Math.exp(logw[r] - max);
                }
                continue;
            }
            // rows of the states scaled by u_r = e^{logw − max}; corr (V × H) += Σ_r (u_r v_r) ⊗ tanh_r
            for (int r = 0; r < rows; r++) {
                float u = (float) Math.exp(logw[r] - max);
                sum += u;
                Fused.scale(u, states, r * v, states, r * v, v);
            }
            blas.sgemm("N", "T", h, v, rows, 1f, fields, 0, h, states, 0, v, 1f, corr, 0, h);
        }
        return new Chunk(max, sum, corr, ground, groundCode);
    }

    /** ⟨v_i tanh((vᵀW)_a)⟩ over the rows × V states given (the positive phase on data), V × H row-major. */
    public static double[] dataCorrelation(SpinRbm rbm, float[] data, int rows) {
        float[] fields = new float[rows * rbm.hidden];
        rbm.hiddenFields(data, 0, rows, 1f, fields, 0);
        double[] g = new double[rbm.visible * rbm.hidden];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < rbm.visible; i++) {
                double vi = data[r * rbm.visible + i];
                int o = i * rbm.hidden;
                int fo = r * rbm.hidden;
                for (int a = 0; a < rbm.hidden; a++) {
                    g[o + a] += vi * Math.tanh(fields[fo + a]);
                }
            }
        }
        for (int q = 0; q < g.length; q++) {
            g[q] /= rows;
        }
        return g;
    }

    /** The mean negative log-likelihood of rows × V states: log Z + mean F(v) (eq. A4). */
    public static double nll(SpinRbm rbm, float[] data, int rows, double logZ) {
        float[] scratch = new float[rows * rbm.hidden];
        double[] f = new double[rows];
        rbm.freeEnergies(data, rows, scratch, f);
        double s = 0;
        for (double x : f) {
            s += x;
        }
        return logZ + s / rows;
    }
}
