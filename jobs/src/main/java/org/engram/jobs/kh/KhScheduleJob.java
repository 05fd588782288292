package org.engram.jobs.kh;

import java.util.List;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * {@code kh.schedule} — the Fig. 3 curves for several KH windows S (grid dimension {@code schedule}):
 * does KH still beat the plain RBM after its window has closed.
 * The training, the plan and the curves are {@link KhTraining}'s.
 */
public final class KhScheduleJob implements Job<KhTraining.Settings> {
    @Override
    public String id() {
        return "kh.schedule";
    }

    @Override
    public String description() {
        return "KH-RBM: the KH window S swept (grid dimension schedule); does KH beat plain after the window closes";
    }

    @Override
    public List<String> gridRequires() {
        return List.of("schedule");
    }

    @Override
    public Plan<KhTraining.Settings> plan(Setup<KhTraining.Settings> setup) {
        return KhTraining.reconstructionPlan(setup);
    }

    @Override
    public Derived derive(Plan<KhTraining.Settings> plan, List<Aggregate> aggregates) {
        return KhTraining.curves(plan, aggregates);
    }
}
