package org.engram.jobs.kh;

import java.util.List;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * {@code kh.reconstruction} — KH-RBM paper, Fig. 3: per-epoch validation reconstruction error (eq. 11, and
 * the authors' per-image sum) and cross-entropy (eq. 12) of a binary RBM trained by CD-k with and without
 * the Krotov–Hopfield step (TD or BU, eqs. 5–9), for each seed; aggregated over seeds per epoch with 95%
 * CIs. Grid: dataset × variant × init × hidden × k; replicates: seeds. One work unit trains one (cell, seed).
 * The training, the plan and the curves are {@link KhTraining}'s.
 */
public final class KhReconstructionJob implements Job<KhTraining.Settings> {
    @Override
    public String id() {
        return "kh.reconstruction";
    }

    @Override
    public String description() {
        return "KH-RBM Fig. 3: validation MSE and cross-entropy per epoch, plain vs KH-TD/BU RBMs, over seeds";
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
