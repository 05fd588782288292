package org.engram.jobs.mlcm;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Problems;
import org.engram.jobs.core.SweepIdentity;

/**
 * {@code mlcm.sparsity-wta} — thesis §7.2.2: {0,1} states, winner-takes-all keeping ⌊Nδ⌋ units on in the
 * middle layers (first and last at γ = 0), δ a grid dimension; per-layer activity and accuracy against δ.
 * The training is {@link MlcmTraining}'s.
 */
public final class MlcmSparsityWtaJob implements Job<MlcmTraining.Settings> {
    @Override
    public String id() {
        return "mlcm.sparsity-wta";
    }

    @Override
    public String description() {
        return "MLCM §7.2.2: winner-takes-all activity δ on the middle layers — per-layer activity and accuracy vs δ";
    }

    @Override
    public Plan<MlcmTraining.Settings> plan(SweepIdentity sweep, Config conf, Problems problems) {
        return MlcmTraining.plan(sweep, conf, problems, List.of(MlcmTraining.DATASET, MlcmTraining.DELTA),
                MlcmTraining.Sparsity.WTA);
    }

    @Override
    public Derived derive(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        List<Figure> figures = new ArrayList<>(MlcmTraining.accuracyFigures(plan, aggregates));
        List<Derived.DerivedTable> tables = new ArrayList<>(List.of(MlcmTraining.finalTable(plan, aggregates)));
        MlcmTraining.sparsityFigures(plan, aggregates, MlcmTraining.DELTA, figures, tables);
        return new Derived(tables, figures);
    }
}
