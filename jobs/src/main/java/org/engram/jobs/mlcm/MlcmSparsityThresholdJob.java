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
 * {@code mlcm.sparsity-threshold} — thesis §7.2.1, Fig. 7.3: {0,1} states with a fixed threshold γ on every
 * layer (eq. 7.1), γ a grid dimension; per-layer activity and accuracy against γ.
 * The training is {@link MlcmTraining}'s.
 */
public final class MlcmSparsityThresholdJob implements Job<MlcmTraining.Settings> {
    @Override
    public String id() {
        return "mlcm.sparsity-threshold";
    }

    @Override
    public String description() {
        return "MLCM Fig. 7.3: {0,1} states with a fixed threshold γ — per-layer activity and accuracy vs γ";
    }

    @Override
    public Plan<MlcmTraining.Settings> plan(SweepIdentity sweep, Config conf, Problems problems) {
        return MlcmTraining.plan(sweep, conf, problems, List.of(MlcmTraining.DATASET, MlcmTraining.GAMMA),
                MlcmTraining.Sparsity.THRESHOLD);
    }

    @Override
    public Derived derive(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        List<Figure> figures = new ArrayList<>(MlcmTraining.accuracyFigures(plan, aggregates));
        List<Derived.DerivedTable> tables = new ArrayList<>(List.of(MlcmTraining.finalTable(plan, aggregates)));
        MlcmTraining.sparsityFigures(plan, aggregates, MlcmTraining.GAMMA, figures, tables);
        return new Derived(tables, figures);
    }
}
