package org.engram.jobs.mlcm;

import java.util.List;
import org.engram.jobs.config.Problems;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * {@code mlcm.sparsity-wta} — thesis §7.2.2: {0,1} states, winner-takes-all keeping ⌊Nδ⌋ units on in the
 * middle layers (first and last at γ = 0), δ a grid dimension; per-layer activity and accuracy against δ.
 * The training is {@link MlcmTraining}'s, the derived tables {@link MlcmTables}'.
 */
public final class MlcmSparsityWtaJob implements Job<MlcmTraining.Settings> {
    /** Training runs continue from checkpoints ({@code MlcmTraining.Resume}): successive halving gives rungs of epochs. */
    @Override
    public String budget() {
        return "epochs";
    }

    @Override
    public String id() {
        return "mlcm.sparsity-wta";
    }

    @Override
    public String description() {
        return "MLCM §7.2.2: winner-takes-all activity δ on the middle layers — per-layer activity and accuracy vs δ";
    }

    @Override
    public List<String> gridRequires() {
        return List.of("delta");
    }

    @Override
    public void check(Setup<MlcmTraining.Settings> setup, Problems problems) {
        MlcmTraining.check(setup, problems, MlcmTraining.Sparsity.WTA);
    }

    @Override
    public Plan<MlcmTraining.Settings> plan(Setup<MlcmTraining.Settings> setup) {
        return MlcmTraining.plan(setup);
    }

    @Override
    public Derived derive(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        return MlcmTables.sparsity(plan, aggregates, "delta");
    }
}
