package org.engram.jobs.kh;

/**
 * {@code kh.grid} — the ε0 × Δ grid search the paper tuned KH by (grid dimensions {@code eps0}, {@code delta}).
 * The training, the plan and the curves are {@link KhCurvesJob}'s.
 */
public final class KhGridJob extends KhCurvesJob {
    public KhGridJob() {
        super("kh.grid", "KH-RBM: ε0 × Δ grid search (grid dimensions eps0, delta)", "eps0", "delta");
    }
}
