package org.engram.driver.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.engram.jobs.sweep.LoadedSweep;

/**
 * Every Spark setting of a run, resolved once — in one order, each with the place it came from — so that what
 * preflight checks is what the run uses. From weakest to strongest:
 * <ol>
 *   <li>Engram's defaults ({@code spark.ui.showConsoleProgress}, the executors' JVM flags and BLAS threads, a
 *       heartbeat that paces progress);</li>
 *   <li>the sweep conf: {@code spark.master}, {@code spark.app-name} (the sweep id appended), then the
 *       {@code spark.conf { "spark.x" = … }} entries;</li>
 *   <li>spark-submit's settings (its {@code --master}, {@code --conf}, properties file: the {@code spark.*} system
 *       properties it hands the driver);</li>
 *   <li>the engram command line: {@code --conf k=v}, then {@code --master}.</li>
 * </ol>
 * Kryo with registration required is Engram's whatever the sources say: the engine's rows need it.
 *
 * @param settings every setting, in the order set, with its source
 */
public record SparkResolution(Map<String, Value> settings) {
    /** A setting's value and where it came from ({@code --master}, {@code spark.conf.spark.x}, ...). */
    public record Value(String value, String source) {
    }

    /** Where a setting comes from when it is Engram's own default or requirement. */
    public static final String ENGRAM = "Engram";

    public SparkResolution {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** The settings of a run of {@code s} with the command line's {@code opt}. */
    public static SparkResolution of(LoadedSweep s, DriverSettings.Spark spark, RunOptions opt) {
        return of(s, spark, opt, System.getenv());
    }

    /**
     * The same, with the launching shell's environment {@code env}: an OPENBLAS_CORETYPE set there goes to every
     * executor (OpenBLAS picks its kernels by CPU otherwise, and a cluster of mixed CPUs gives other last bits on
     * each kind — docs/reference/outputs.md, Determinism); the sweep conf and --conf can still set another.
     */
    public static SparkResolution of(LoadedSweep s, DriverSettings.Spark spark, RunOptions opt,
                                     Map<String, String> env) {
        Map<String, Value> m = new LinkedHashMap<>();
        m.put("spark.ui.showConsoleProgress", new Value("false", ENGRAM));
        m.put("spark.executorEnv.OPENBLAS_NUM_THREADS", new Value("1", ENGRAM));
        String core = env.get("OPENBLAS_CORETYPE");
        if (core != null && !core.isBlank()) {
            m.put("spark.executorEnv.OPENBLAS_CORETYPE", new Value(core.strip(), "OPENBLAS_CORETYPE"));
        }
        m.put("spark.executor.extraJavaOptions", new Value(JvmFlags.FLAGS, ENGRAM));
        // heartbeats carry running tasks' accumulators: they pace the progress lines
        m.put("spark.executor.heartbeatInterval",
                new Value(Math.max(1, Math.min(10, Math.round(spark.progressSeconds()))) + "s", ENGRAM));
        m.put("spark.master", new Value(spark.master(), "spark.master"));
        m.put("spark.app.name", new Value(spark.appName() + " " + s.identity().id(), "spark.app-name"));
        spark.conf().forEach((k, v) -> m.put(k, new Value(v, "spark.conf." + k)));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark.")).sorted()
                .forEach(k -> m.put(k, new Value(System.getProperty(k), "spark-submit (" + k + ")")));
        opt.sparkConf().forEach((k, v) -> m.put(k, new Value(v, "--conf " + k)));
        if (opt.master() != null) {
            m.put("spark.master", new Value(opt.master(), "--master"));
        }
        m.put("spark.serializer", new Value("org.apache.spark.serializer.KryoSerializer", ENGRAM));
        m.put("spark.kryo.registrationRequired", new Value("true", ENGRAM));
        m.put("spark.kryo.registrator", new Value(EngramKryoRegistrator.class.getName(), ENGRAM));
        return new SparkResolution(m);
    }

    /** The master the run uses. */
    public Value master() {
        return settings.get("spark.master");
    }

    /** These settings as Spark's configuration (nothing else read from system properties). */
    public SparkConf sparkConf() {
        SparkConf conf = new SparkConf(false);
        settings.forEach((k, v) -> conf.set(k, v.value()));
        return conf;
    }
}
