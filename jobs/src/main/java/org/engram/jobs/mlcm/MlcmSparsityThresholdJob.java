package org.engram.jobs.mlcm;

import java.util.List;
import org.engram.jobs.config.Problems;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * {@code mlcm.sparsity-threshold} — thesis §7.2.1, Fig. 7.3: {0,1} states with a fixed threshold γ on every
 * layer (eq. 7.1), γ a grid dimension; per-layer activity and accuracy against γ.
 * The training is {@link MlcmTraining}'s, the derived tables {@link MlcmTables}'.
 */
public final class MlcmSparsityThresholdJob implements Job<MlcmTraining.Settings> {
    /** Training runs continue from checkpoints ({@code MlcmTraining.Resume}): successive halving gives rungs of epochs. */
    @Override
    public String budget() {
        return "epochs";
    }

    @Override
    public String id() {
        return "mlcm.sparsity-threshold";
    }

    @Override
    public String description() {
        return "MLCM Fig. 7.3: {0,1} states with a fixed threshold γ — per-layer activity and accuracy vs γ";
    }

    @Override
    public List<String> gridRequires() {
        return List.of("gamma");
    }

    @Override
    public void check(Setup<MlcmTraining.Settings> setup, Problems problems) {
        MlcmTraining.check(setup, problems, MlcmTraining.Sparsity.THRESHOLD);
    }

    @Override
    public Plan<MlcmTraining.Settings> plan(Setup<MlcmTraining.Settings> setup) {
        return MlcmTraining.plan(setup);
    }

    @Override
    public Derived derive(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        return MlcmTables.sparsity(plan, aggregates, "gamma");
    }
}
