package org.engram.jobs.kh;

/**
 * {@code kh.shuffle-control} — ξ_t of eq. 10 replaced by a component-shuffled copy (variant
 * {@code td-shuffled}) against plain and KH-TD training: does the gain disappear.
 * The training, the plan and the curves are {@link KhCurvesJob}'s.
 */
public final class KhShuffleControlJob extends KhCurvesJob {
    public KhShuffleControlJob() {
        super("kh.shuffle-control", "KH-RBM: ξ_t of eq. 10 replaced by a component-shuffled copy (variant td-shuffled) against plain and KH-TD training");
    }
}
