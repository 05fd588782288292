package org.engram.jobs.kh;

import java.util.List;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * What the reconstruction-style KH jobs are: one {@link KhTraining.Reconstruction} per (cell, seed) over the
 * dataset × variant × init × hidden × k grid (plus the dimensions a job adds), and the MSE, cross-entropy and
 * ξ curves with the final MSE table. Each catalogue entry is a subclass that names itself.
 */
abstract class KhCurvesJob implements Job<KhTraining.Settings> {
    private final String id;
    private final String description;
    private final List<String> extraDimensions;

    KhCurvesJob(String id, String description, String... extraDimensions) {
        this.id = id;
        this.description = description;
        this.extraDimensions = List.of(extraDimensions);
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
        return extraDimensions;
    }

    @Override
    public final Plan<KhTraining.Settings> plan(Setup<KhTraining.Settings> setup) {
        return KhTraining.reconstructionPlan(setup);
    }

    @Override
    public final Derived derive(Plan<KhTraining.Settings> plan, List<Aggregate> aggregates) {
        return KhTraining.curves(plan, aggregates);
    }
}
