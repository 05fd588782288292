package org.engram.jobs.kh;

import java.util.List;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * {@code kh.shuffle-control} — ξ_t of eq. 10 replaced by a component-shuffled copy (variant
 * {@code td-shuffled}) against plain and KH-TD training: does the gain disappear.
 * The training, the plan and the curves are {@link KhTraining}'s.
 */
public final class KhShuffleControlJob implements Job<KhTraining.Settings> {
    @Override
    public String id() {
        return "kh.shuffle-control";
    }

    @Override
    public String description() {
        return "KH-RBM: ξ_t of eq. 10 replaced by a component-shuffled copy (variant td-shuffled) against plain and KH-TD training";
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
