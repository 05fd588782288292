package org.engram.jobs.kh;

import java.util.List;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * {@code kh.receptive-fields} — the receptive-field overlap of plain, TD and BU RBMs (the mean over hidden
 * units of the largest cosine to another unit's weights; paper: 0.41 / 0.37 / 0.35), in every final row.
 * The training, the plan and the curves are {@link KhTraining}'s.
 */
public final class KhReceptiveFieldsJob implements Job<KhTraining.Settings> {
    @Override
    public String id() {
        return "kh.receptive-fields";
    }

    @Override
    public String description() {
        return "KH-RBM: mean largest cosine overlap between hidden units' receptive fields, plain vs TD vs BU (paper: 0.41 / 0.37 / 0.35)";
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
