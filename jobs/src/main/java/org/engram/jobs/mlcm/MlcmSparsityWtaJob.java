package org.engram.jobs.mlcm;

/**
 * {@code mlcm.sparsity-wta} — thesis §7.2.2: {0,1} states, winner-takes-all keeping ⌊Nδ⌋ units on in the
 * middle layers (first and last at γ = 0), δ a grid dimension; per-layer activity and accuracy against δ.
 * The plan, derive and training are {@link MlcmSparsityJob}'s and {@link MlcmTraining}'s.
 */
public final class MlcmSparsityWtaJob extends MlcmSparsityJob {
    public MlcmSparsityWtaJob() {
        super("mlcm.sparsity-wta",
                "MLCM §7.2.2: winner-takes-all activity δ on the middle layers — per-layer activity and accuracy vs δ",
                "delta", MlcmTraining.Sparsity.WTA);
    }
}
