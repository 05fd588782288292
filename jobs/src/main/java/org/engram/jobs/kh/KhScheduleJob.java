package org.engram.jobs.kh;

/**
 * {@code kh.schedule} — the Fig. 3 curves for several KH windows S (grid dimension {@code schedule}):
 * does KH still beat the plain RBM after its window has closed.
 * The training, the plan and the curves are {@link KhCurvesJob}'s.
 */
public final class KhScheduleJob extends KhCurvesJob {
    public KhScheduleJob() {
        super("kh.schedule", "KH-RBM: the KH window S swept (grid dimension schedule); does KH beat plain after the window closes", "schedule");
    }
}
