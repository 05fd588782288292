package org.engram.jobs.kh;

import java.util.List;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * {@code kh.grid} — the ε0 × Δ grid search the paper tuned KH by (grid dimensions {@code eps0}, {@code delta}).
 * The training, the plan and the curves are {@link KhTraining}'s.
 */
public final class KhGridJob implements Job<KhTraining.Settings> {
    @Override
    public String id() {
        return "kh.grid";
    }

    @Override
    public String description() {
        return "KH-RBM: ε0 × Δ grid search (grid dimensions eps0, delta)";
    }

    @Override
    public List<String> gridRequires() {
        return List.of("eps0", "delta");
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
