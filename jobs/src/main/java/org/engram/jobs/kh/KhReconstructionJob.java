package org.engram.jobs.kh;

/**
 * {@code kh.reconstruction} — KH-RBM paper, Fig. 3: per-epoch validation reconstruction error (eq. 11, and
 * the authors' per-image sum) and cross-entropy (eq. 12) of a binary RBM trained by CD-k with and without
 * the Krotov–Hopfield step (TD or BU, eqs. 5–9), for each seed; aggregated over seeds per epoch with 95%
 * CIs. Grid: dataset × variant × init × hidden × k; replicates: seeds. One work unit trains one (cell, seed).
 * The training, the plan and the curves are {@link KhCurvesJob}'s.
 */
public final class KhReconstructionJob extends KhCurvesJob {
    public KhReconstructionJob() {
        super("kh.reconstruction", "KH-RBM Fig. 3: validation MSE and cross-entropy per epoch, plain vs KH-TD/BU RBMs, over seeds");
    }
}
