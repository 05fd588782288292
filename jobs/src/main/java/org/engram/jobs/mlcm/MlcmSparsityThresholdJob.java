package org.engram.jobs.mlcm;

/**
 * {@code mlcm.sparsity-threshold} — thesis §7.2.1, Fig. 7.3: {0,1} states with a fixed threshold γ on every
 * layer (eq. 7.1), γ a grid dimension; per-layer activity and accuracy against γ.
 * The plan, derive and training are {@link MlcmSparsityJob}'s and {@link MlcmTraining}'s.
 */
public final class MlcmSparsityThresholdJob extends MlcmSparsityJob {
    public MlcmSparsityThresholdJob() {
        super("mlcm.sparsity-threshold",
                "MLCM Fig. 7.3: {0,1} states with a fixed threshold γ — per-layer activity and accuracy vs γ",
                "gamma", MlcmTraining.Sparsity.THRESHOLD);
    }
}
