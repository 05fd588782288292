package org.engram.jobs.mlcm;

import java.util.ArrayList;
import java.util.List;
import org.engram.jobs.config.Problems;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * What the MLCM sparsity jobs are: {0,1} states, one sparsity parameter swept as a grid dimension (γ or δ), the
 * accuracy curves and the final table, plus the last epoch's activity per layer and the final accuracy against
 * that parameter. Each catalogue entry is a subclass that names itself and its parameter; the training is
 * {@link MlcmTraining}'s.
 */
abstract class MlcmSparsityJob implements Job<MlcmTraining.Settings> {
    private final String id;
    private final String description;
    private final String dimension;
    private final MlcmTraining.Sparsity sparsity;

    MlcmSparsityJob(String id, String description, String dimension, MlcmTraining.Sparsity sparsity) {
        this.id = id;
        this.description = description;
        this.dimension = dimension;
        this.sparsity = sparsity;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<String> gridRequires() {
        return List.of(dimension);
    }

    @Override
    public final void check(Setup<MlcmTraining.Settings> setup, Problems problems) {
        MlcmTraining.check(setup, problems, sparsity);
    }

    @Override
    public final Plan<MlcmTraining.Settings> plan(Setup<MlcmTraining.Settings> setup) {
        return MlcmTraining.plan(setup);
    }

    @Override
    public final Derived derive(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        List<Figure> figures = new ArrayList<>(MlcmTables.accuracyFigures(plan, aggregates));
        List<Derived.DerivedTable> tables = new ArrayList<>(List.of(MlcmTables.finalTable(plan, aggregates)));
        MlcmTables.sparsityFigures(plan, aggregates, dimension, figures, tables);
        return new Derived(tables, figures);
    }
}
