package org.engram.driver.engine;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What interrupted runs leave under a sweep folder — hidden {@code .<run-id>.inprogress} folders and hidden
 * {@code .*.tmp} files of ledger entries that were never renamed into place — and {@code engram clean}, which removes
 * them from every sweep folder under an output root that no live run holds.
 */
public final class Cleaner {
    private Cleaner() {
    }

    public record Leftovers(List<Path> folders, List<Path> files) {
        public int count() {
            return folders.size() + files.size();
        }
    }

    /** The leftovers under one sweep folder {@code base}. */
    public static Leftovers find(FileSystem fs, Path base) {
        List<Path> folders = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try {
            if (!fs.exists(base)) {
                return new Leftovers(folders, files);
            }
            for (FileStatus st : fs.listStatus(base)) {
                String n = st.getPath().getName();
                if (st.isDirectory() && n.startsWith(".") && n.endsWith(".inprogress")) {
                    folders.add(st.getPath());
                }
            }
            // the ledger's, and a stopped halving sweep's checkpoints' (kept for the rerun; their temporaries are not)
            for (String kept : List.of("ledger", "checkpoints")) {
                Path dir = new Path(base, kept);
                if (fs.exists(dir)) {
                    files.addAll(temporaryFiles(fs, dir));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + base, e);
        }
        return new Leftovers(folders, files);
    }

    /** The hidden temporary files ({@code .*.tmp}) under a folder, recursively: writes that never reached their name. */
    static List<Path> temporaryFiles(FileSystem fs, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        // listStatus, not listFiles: a located status reads each local file's permissions through a process
        for (FileStatus st : fs.listStatus(dir)) {
            Path p = st.getPath();
            if (st.isDirectory()) {
                out.addAll(temporaryFiles(fs, p));
            } else if (p.getName().startsWith(".") && p.getName().endsWith(".tmp")) {
                out.add(p);
            }
        }
        return out;
    }

    /** Removes the leftovers of every sweep folder under {@code output} not held by a live run; returns the count. */
    public static int clean(FileSystem fs, Path output, PrintStream out) throws IOException {
        int removed = 0;
        if (!fs.exists(output)) {
            out.println("engram clean: " + output + " does not exist; nothing to do");
            return 0;
        }
        for (FileStatus sweep : fs.listStatus(output)) {
            if (!sweep.isDirectory()) {
                continue;
            }
            Path base = sweep.getPath();
            Leftovers left = find(fs, base);
            if (left.count() == 0) {
                continue;
            }
            // under the sweep's own lock: no run starts meanwhile, and a live holder's folders are kept
            SweepLock lock;
            try {
                lock = SweepLock.acquire(fs, base, "engram-clean", false, out);
            } catch (SweepLock.Held held) {
                out.printf("engram clean: %s is in use by a run (%s); left alone%n", base,
                        SweepLock.holder(fs, new Path(base, SweepLock.NAME)));
                continue;
            }
            try (lock) {
                left = find(fs, base);
                for (Path p : left.folders()) {
                    fs.delete(p, true);
                }
                for (Path p : left.files()) {
                    fs.delete(p, false);
                }
            }
            out.printf("engram clean: %s: removed %d in-progress folders and %d temporary files%n", base,
                    left.folders().size(), left.files().size());
            removed += left.count();
        }
        out.printf("engram clean: %d leftovers removed under %s%n", removed, output);
        return removed;
    }
}
