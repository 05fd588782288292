package org.engram.jobs.rapid;

import java.util.List;
import org.engram.jobs.config.Problems;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;

/**
 * {@code rapid.bas} — RAPID paper, Sec. V B, Fig. 5: n × n bars and stripes (2(2ⁿ − 2) images, 8,188 at n = 12),
 * one random train/test split per sweep (its seed derives from the sweep, so every instance and method sees the
 * same split), V = n².
 */
public final class RapidBasJob implements Job<RapidTraining.Settings> {
    @Override
    public String id() {
        return "rapid.bas";
    }

    @Override
    public String description() {
        return "RAPID Fig. 5: n×n bars and stripes (8,188 images at n = 12, 80/20 split) — reconstruction "
                + "Hamming distance on training and test images";
    }

    @Override
    public void check(Setup<RapidTraining.Settings> setup, Problems problems) {
        RapidTraining.check(setup, problems, RapidTraining.Dataset.BAS);
    }

    @Override
    public Plan<RapidTraining.Settings> plan(Setup<RapidTraining.Settings> setup) {
        return RapidTraining.plan(setup, RapidTraining.Dataset.BAS);
    }

    @Override
    public Derived derive(Plan<RapidTraining.Settings> plan, List<Aggregate> aggregates) {
        return RapidTraining.derive(plan, aggregates);
    }
}
