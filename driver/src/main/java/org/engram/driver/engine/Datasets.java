package org.engram.driver.engine;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.engram.driver.data.DatasetCatalog;
import org.engram.driver.data.Fetcher;
import org.engram.export.fs.HadoopFiles;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.WorkUnit;
import org.engram.jobs.data.DataCache;

/**
 * The datasets a plan reads: whether each is present (for {@code engram plan}), and fetching the missing ones
 * before a run — the same sources, checksums and messages as {@code engram data fetch}, as torchvision's
 * {@code download=True} does — unless the run says {@code --no-fetch}.
 */
public final class Datasets {
    private Datasets() {
    }

    /** Each (root, name) the plan's units read, in first-use order. */
    static Map<String, DataCache.Need> needs(Plan<?> plan) {
        Map<String, DataCache.Need> out = new LinkedHashMap<>();
        for (WorkUnit u : plan.units()) {
            if (u instanceof DataCache.NeedsData nd) {
                for (DataCache.Need n : nd.datasets()) {
                    out.putIfAbsent(n.root() + "/" + n.name(), n);
                }
            }
        }
        return out;
    }

    /** Whether a dataset is there — for {@code mnist}, all of it, not the 10,000-digit subset fetched before. */
    static boolean present(DataCache.Need n, Configuration conf) {
        Path p = new Path(n.root() + "/" + n.name() + "/dataset.json");
        return exists(n, conf) && !(n.name().equals(DatasetCatalog.MNIST.name()) && Fetcher.isSubset(HadoopFiles.fs(p,
                conf), p));
    }

    /** One line per dataset for the plan: name, root, present or what a run will do. */
    public static List<String> status(Plan<?> plan) {
        Configuration conf = new Configuration();
        List<String> lines = new ArrayList<>();
        for (DataCache.Need n : needs(plan).values()) {
            lines.add(n.name() + " under " + n.root() + ": " + (present(n, conf) ? "present"
                    : (n.name().equals(DatasetCatalog.MNIST.name()) && exists(n, conf) ? "only the 10,000-digit subset"
                    : "missing") + " — run fetches it first (or: deploy/engram data fetch " + n.name() + " --dir "
                    + n.root() + ")"));
        }
        return lines;
    }

    private static boolean exists(DataCache.Need n, Configuration conf) {
        Path p = new Path(n.root() + "/" + n.name() + "/dataset.json");
        try {
            return HadoopFiles.fs(p, conf).exists(p);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Fetches every missing dataset of the plan; a dataset no source can provide stops the run with what to do. */
    static void fetchMissing(Plan<?> plan, Configuration conf, PrintStream console) {
        for (DataCache.Need n : needs(plan).values()) {
            if (present(n, conf)) {
                continue;
            }
            if (!DatasetCatalog.ALL.containsKey(n.name())) {
                throw new IllegalArgumentException("dataset '" + n.name() + "' is not under " + n.root() + " and Engram "
                        + "knows no source for it (it fetches " + String.join(", ", DatasetCatalog.ALL.keySet()) + ")");
            }
            console.printf("[engram] dataset '%s' is not under %s%s: fetching it first (--no-fetch to stop instead)%n",
                    n.name(), n.root(), n.name().equals(DatasetCatalog.MNIST.name()) ? " (or only its 10,000-digit "
                            + "subset, which is kept as mnist-subset)" : "");
            try {
                new Fetcher(console, conf).fetch(n.name(), n.root(), false);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage() + "; nothing was run", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fetching " + n.name(), e);
            }
        }
    }
}
