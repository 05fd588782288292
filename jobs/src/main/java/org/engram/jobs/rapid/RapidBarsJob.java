package org.engram.jobs.rapid;

import java.util.List;
import org.engram.jobs.config.Problems;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * {@code rapid.bars} — RAPID paper, Sec. V A, Figs. 2–4: the 4 × 4 Bars (10 training images, 4 test, the authors'
 * split, both closed under negation), V = 16, RAPID vs CD-k vs PCD-k vs the exact gradient.
 */
public final class RapidBarsJob implements Job<RapidTraining.Settings> {
    @Override
    public String id() {
        return "rapid.bars";
    }

    @Override
    public String description() {
        return "RAPID Figs. 2–4: 4×4 Bars, RAPID vs CD-10 vs PCD-10 vs exact gradient — reconstruction "
                + "Hamming distance, Gibbs and method accessibility, SVD of W";
    }

    @Override
    public void check(Setup<RapidTraining.Settings> setup, Problems problems) {
        RapidTraining.check(setup, problems, RapidTraining.Dataset.BARS4);
    }

    @Override
    public Plan<RapidTraining.Settings> plan(Setup<RapidTraining.Settings> setup) {
        return RapidTraining.plan(setup, RapidTraining.Dataset.BARS4);
    }

    @Override
    public Derived derive(Plan<RapidTraining.Settings> plan, List<Aggregate> aggregates) {
        return RapidTraining.derive(plan, aggregates);
    }
}
