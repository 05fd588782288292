package org.engram.driver.engine;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Schema;
import org.engram.jobs.config.Setting;
import org.engram.jobs.sweep.JobRegistry;
import org.engram.jobs.sweep.LoadedSweep;
import org.engram.jobs.sweep.PreparedSweep;

/**
 * The driver's own settings — the {@code spark}, {@code ledger} and {@code export} sections of a sweep conf — declared
 * once here and bound by the same {@link Schema} as a job's settings (defaults in {@code conf/reference.conf}).
 */
public record DriverSettings(
        @Setting(doc = "how the run uses Spark") Spark spark,
        @Setting(doc = "the ledger of finished work") Ledger ledger,
        @Setting(doc = "what a run writes beside its tables and plots") Export export) {

    /** The {@code spark} section. */
    public record Spark(
            @Setting(doc = "the Spark master: local[*] (embedded), spark://host:7077, yarn, k8s://… — see "
                    + "SparkResolution for what overrides it") String master,
            @Setting(doc = "the application's name (the sweep id is appended)") String appName,
            @Setting(doc = "partitions = min(work units, cores × this), balanced by estimated cost", min = 1,
                    max = 1000) int tasksPerCore,
            @Setting(doc = "how often the console shows cells done / total, failures and ETA", min = 0.1, max = 3600)
            double progressSeconds,
            @Setting(doc = "seconds a cluster master (spark://…) has to answer and accept the application; else exit 2",
                    min = 1, max = 3600) double masterTimeout,
            @Setting(doc = "any spark.* setting, quoted: \"spark.executor.memory\" = \"4g\"") Map<String, String> conf) {
    }

    /** The {@code ledger} section. */
    public record Ledger(
            @Setting(doc = "a task seals its segment (and begins another) after this long: what a killed task loses at "
                    + "most", min = 0, max = 86400) double sealSeconds,
            @Setting(doc = "a run that ends with more ledger files than this folds them into one segment", min = 1,
                    max = 1_000_000) int compactAbove) {
    }

    /** The {@code export} section. */
    public record Export(
            @Setting(doc = "write notebook.ipynb: loads the run's tables with pandas and redraws its figures") boolean
            notebook) {
    }

    /** The driver's settings of a loaded sweep; throws naming every problem (normally found by {@link #check}). */
    public static DriverSettings of(LoadedSweep s) {
        Problems problems = new Problems();
        DriverSettings d = bind(s, problems);
        problems.throwIfAny("Sweep " + s.source());
        return d;
    }

    /** Adds the problems of a loaded sweep's driver sections to {@code problems}. */
    static void check(LoadedSweep s, Problems problems) {
        bind(s, problems);
    }

    private static DriverSettings bind(LoadedSweep s, Problems problems) {
        DriverSettings d = new DriverSettings(Schema.of(Spark.class).bind(s.effective(), "spark", problems),
                Schema.of(Ledger.class).bind(s.effective(), "ledger", problems),
                Schema.of(Export.class).bind(s.effective(), "export", problems));
        for (String k : d.spark().conf().keySet()) {
            if (!k.startsWith("spark.")) {
                problems.at(s.effective(), "spark.conf." + k, "Spark settings start with 'spark.' (quote the key: "
                        + "\"spark.x.y\" = ...)");
            }
        }
        return d;
    }

    /** Loads, validates (the job's sections and the driver's) and plans a sweep file, every problem at once. */
    public static PreparedSweep<?> prepare(File file, List<String> sets) {
        PreparedSweep<?> p = PreparedSweep.prepare(file, sets, JobRegistry.standard(), DriverSettings::check);
        Stages.of(p); // sweep.adaptive and sweep.halving, checked with the rest before any work
        return p;
    }
}
