package org.engram.driver.catalogue;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.engram.driver.engine.SweepLock;

/**
 * What {@code engram prune} removes: per sweep, the published runs beyond the newest {@code keep} and/or started
 * before a date — never one tagged {@link Catalogue#KEEP}, never one in progress — and, when asked, the ledger and
 * shared state of a sweep of which no run is left and none is under way. Applied under each sweep's lock.
 */
public record Prune(Map<Path, List<Catalogue.Run>> runs, List<Path> ledgers) {
    public boolean isEmpty() {
        return runs.values().stream().allMatch(List::isEmpty) && ledgers.isEmpty();
    }

    /** The plan: {@code all} newest first (as {@link Catalogue#list} gives them). */
    public static Prune plan(List<Catalogue.Run> all, Integer keep, Instant before, String onlySweep, boolean ledgers) {
        Map<Path, List<Catalogue.Run>> bySweep = new LinkedHashMap<>();
        for (Catalogue.Run r : all) {
            if (onlySweep == null || r.sweep().equals(onlySweep)) {
                bySweep.computeIfAbsent(r.dir().getParent(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<Path, List<Catalogue.Run>> remove = new LinkedHashMap<>();
        List<Path> ledgerDirs = new ArrayList<>();
        bySweep.forEach((sweep, runs) -> {
            List<Catalogue.Run> gone = new ArrayList<>();
            int published = 0;
            boolean underWay = false;
            for (Catalogue.Run r : runs) {
                if (r.manifest() == null) {
                    underWay |= r.inProgress();
                    continue;
                }
                boolean newest = keep != null && published < keep;
                boolean young = before != null && !r.started().isBefore(before);
                published++;
                boolean kept = r.tagged(Catalogue.KEEP) || newest || young || (keep == null && before == null);
                if (!kept) {
                    gone.add(r);
                }
            }
            remove.put(sweep, gone);
            long left = runs.stream().filter(r -> r.manifest() != null).count() - gone.size();
            if (ledgers && left == 0 && !underWay) {
                ledgerDirs.add(sweep);
            }
        });
        return new Prune(remove, ledgerDirs);
    }

    public void describe(PrintStream out) {
        runs.forEach((sweep, gone) -> gone.forEach(r -> out.printf("remove run    %s/%s (%s, started %s%s)%n",
                r.sweep(), r.runId(), r.status(), r.started(), r.tags().isEmpty() ? "" : ", tags "
                        + String.join(",", r.tags()))));
        ledgers.forEach(s -> out.printf("remove ledger %s/ledger and shared state (no run of the sweep is left)%n",
                s.getName()));
    }

    /** Removes what the plan names, each sweep under its lock (a sweep a live run holds is left alone). */
    public void apply(FileSystem fs, PrintStream out) throws IOException {
        int removed = 0;
        for (Map.Entry<Path, List<Catalogue.Run>> e : runs.entrySet()) {
            boolean dropLedger = ledgers.contains(e.getKey());
            if (e.getValue().isEmpty() && !dropLedger) {
                continue;
            }
            SweepLock lock;
            try {
                lock = SweepLock.acquire(fs, e.getKey(), "engram-prune", false, out);
            } catch (SweepLock.Held held) {
                out.printf("engram prune: %s is in use by a run; left alone%n", e.getKey());
                continue;
            }
            try (lock) {
                for (Catalogue.Run r : e.getValue()) {
                    fs.delete(r.dir(), true);
                    removed++;
                }
                if (dropLedger) {
                    fs.delete(new Path(e.getKey(), "ledger"), true);
                    fs.delete(new Path(e.getKey(), "shared"), true);
                    fs.delete(new Path(e.getKey(), "checkpoints"), true); // a stopped halving sweep's training state
                }
            }
        }
        out.printf("engram prune: removed %d runs and %d ledgers%n", removed, ledgers.size());
    }
}
