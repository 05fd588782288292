package org.engram.jobs.kh;

/**
 * {@code kh.receptive-fields} — the receptive-field overlap of plain, TD and BU RBMs (the mean over hidden
 * units of the largest cosine to another unit's weights; paper: 0.41 / 0.37 / 0.35), in every final row.
 * The training, the plan and the curves are {@link KhCurvesJob}'s.
 */
public final class KhReceptiveFieldsJob extends KhCurvesJob {
    public KhReceptiveFieldsJob() {
        super("kh.receptive-fields", "KH-RBM: mean largest cosine overlap between hidden units' receptive fields, plain vs TD vs BU (paper: 0.41 / 0.37 / 0.35)");
    }
}
