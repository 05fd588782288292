package org.engram.driver.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code engram sql}: a results root as Spark SQL views — {@code runs} (one row per manifest: its identity, labels,
 * counts, provenance and every setting as the map {@code params}), {@code trials} (the raw rows of every run's
 * tables), {@code aggregated} (every run's aggregated tables) and each derived table by its name — each row carrying
 * its run's {@code run_id}, {@code sweep}, {@code job} and {@code table}. Tables of different jobs are unioned by
 * column name (a column a job lacks is null). It reads Parquet through Hadoop, so it works on a local root and on
 * HDFS, on {@code local[*]} and on a cluster master.
 */
public final class RunsSql {
    private RunsSql() {
    }

    static final StructType RUNS = new StructType()
            .add("sweep", DataTypes.StringType).add("run_id", DataTypes.StringType).add("job", DataTypes.StringType)
            .add("name", DataTypes.StringType).add("tags", DataTypes.createArrayType(DataTypes.StringType))
            .add("note", DataTypes.StringType).add("status", DataTypes.StringType)
            .add("started", DataTypes.TimestampType).add("seconds", DataTypes.DoubleType)
            .add("cells", DataTypes.LongType).add("trials", DataTypes.LongType)
            .add("computed_trials", DataTypes.LongType).add("reused_trials", DataTypes.LongType)
            .add("failed_trials", DataTypes.LongType).add("config_sha256", DataTypes.StringType)
            .add("git_commit", DataTypes.StringType).add("spark_master", DataTypes.StringType)
            .add("source", DataTypes.StringType).add("folder", DataTypes.StringType)
            .add("params", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

    /** Registers the views of every published run under {@code root}; returns their names. */
    public static List<String> register(SparkSession spark, FileSystem fs, Path root) throws java.io.IOException {
        List<Catalogue.Run> runs = Catalogue.list(fs, root).stream().filter(r -> r.manifest() != null).toList();
        List<Row> rows = new ArrayList<>();
        for (Catalogue.Run r : runs) {
            JsonNode m = r.manifest();
            rows.add(RowFactory.create(r.sweep(), r.runId(), r.job(), r.name(),
                    scala.jdk.javaapi.CollectionConverters.asScala(r.tags()).toSeq(), r.note(), r.status(),
                    Timestamp.from(r.started()), r.seconds(), r.cells(), r.trials(), r.computed(), r.reused(),
                    r.failed(), m.path("config_sha256").asText(), m.at("/code/git_commit").asText(),
                    m.at("/runtime/spark_master").asText(), m.path("source").asText(), r.dir().toString(),
                    scala.jdk.javaapi.CollectionConverters.asScala(Catalogue.flatten(m.path("config")))));
        }
        List<String> views = new ArrayList<>();
        spark.createDataFrame(rows, RUNS).createOrReplaceTempView("runs");
        views.add("runs");
        Map<String, List<Dataset<Row>>> byView = new LinkedHashMap<>();
        for (Catalogue.Run r : runs) {
            for (String folder : List.of("raw", "aggregated", "derived")) {
                Path dir = new Path(r.dir(), folder);
                if (!fs.exists(dir)) {
                    continue;
                }
                for (FileStatus st : fs.listStatus(dir)) {
                    String n = st.getPath().getName();
                    String table;
                    if (folder.equals("raw") && st.isDirectory()) {
                        table = n;
                    } else if (!folder.equals("raw") && n.endsWith(".parquet")) {
                        table = n.substring(0, n.length() - ".parquet".length());
                    } else {
                        continue;
                    }
                    String view = folder.equals("raw") ? "trials" : folder.equals("aggregated") ? "aggregated"
                            : table.replaceAll("\\W", "_");
                    Dataset<Row> d = spark.read().parquet(st.getPath().toString())
                            .withColumn("run_id", functions.lit(r.runId())).withColumn("sweep", functions.lit(r.sweep()))
                            .withColumn("job", functions.lit(r.job())).withColumn("table", functions.lit(table));
                    byView.computeIfAbsent(view, k -> new ArrayList<>()).add(d);
                }
            }
        }
        byView.forEach((view, parts) -> {
            Dataset<Row> all = parts.get(0);
            for (int i = 1; i < parts.size(); i++) {
                all = all.unionByName(parts.get(i), true);
            }
            all.createOrReplaceTempView(view);
            views.add(view);
        });
        return views;
    }

    /** The result's rows as strings (header first), at most {@code limit}. */
    public static List<List<String>> rows(Dataset<Row> result, int limit) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of(result.columns()));
        for (Row r : result.takeAsList(limit)) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                Object v = r.get(i);
                cells.add(v == null ? "" : v instanceof scala.collection.Iterable<?> it
                        ? scala.jdk.javaapi.CollectionConverters.asJava(it).toString() : v.toString());
            }
            out.add(cells);
        }
        return out;
    }
}
