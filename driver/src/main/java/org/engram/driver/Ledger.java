package org.engram.driver;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.engram.export.fs.HadoopFiles;
import org.engram.jobs.core.CodeVersion;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.WorkUnit;

/**
 * Finished work, content-addressed: each work unit that completed without failures leaves its rows
 * under {@code <output>/<sweep-id>/ledger/} in a file named by SHA-256 of (job, code version, the
 * unit's fingerprint — seed, cells, replicates, result-affecting settings). A re-submitted sweep
 * replays the rows of every unit whose key is there and computes only the rest; changing a kernel
 * (its bytecode) or any result-affecting parameter changes the keys of exactly the units concerned.
 * Entries are written once, atomically (temporary name, then rename), so retries and speculative
 * attempts can never duplicate rows. Units with FAILED trials are not recorded: they run again.
 */
final class Ledger implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String dir;

    Ledger(String dir) {
        this.dir = dir;
    }

    String dir() {
        return dir;
    }

    /** The job's code version: the bytecode it can reach, computed (see {@link CodeVersion}). */
    static String codeVersion(Job<?> job) {
        return CodeVersion.of(job);
    }

    /**
     * A unit's address: job, code version, the unit's fingerprint and, when it reads datasets, their
     * content ({@code data}: splits and checksums — a dataset moved to another root keeps its keys, a
     * re-fetched or altered one changes them).
     */
    static String key(String jobId, String codeVersion, WorkUnit unit, String data) {
        String text = jobId + "\n" + codeVersion + "\n" + unit.getClass().getName() + "\n" + unit.fingerprint();
        return Provenance.sha256(data.isEmpty() ? text : text + "\ndata=" + data);
    }

    Path entry(String key) {
        return new Path(dir + "/" + key.substring(0, 2), key + ".rows.gz");
    }

    /** The keys recorded so far (one file per unit, not per trial). */
    Set<String> keys(Configuration conf) {
        Set<String> keys = new HashSet<>();
        Path root = new Path(dir);
        FileSystem fs = HadoopFiles.fs(root, conf);
        try {
            if (!fs.exists(root)) {
                return keys;
            }
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                String name = it.next().getPath().getName();
                if (name.endsWith(".rows.gz") && !name.startsWith(".")) {
                    keys.add(name.substring(0, name.length() - ".rows.gz".length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the ledger " + dir, e);
        }
        return keys;
    }

    /** The format tag that opens an entry which names its own key (entries without it are read as before). */
    static final String FORMAT = "engram-ledger/2";

    /**
     * The rows of an entry, verified: gzip's CRC catches a truncated or corrupted file, and the key the entry names
     * must be the one asked for (a misfiled entry is an error). Entries of the first format carry no key and are
     * checked by the caller against the trials the unit owes.
     */
    @SuppressWarnings("unchecked")
    List<TrialRow> read(String key, Configuration conf) throws IOException {
        Path p = entry(key);
        FileSystem fs = HadoopFiles.fs(p, conf);
        try (ObjectInputStream in = new ObjectInputStream(new GZIPInputStream(fs.open(p)))) {
            Object first = in.readObject();
            if (FORMAT.equals(first)) {
                Object named = in.readObject();
                if (!key.equals(named)) {
                    throw new IOException("ledger entry " + p + " is misfiled: it holds the rows of " + named);
                }
                List<TrialRow> rows = (List<TrialRow>) in.readObject();
                if (in.read() != -1) {
                    throw new IOException("ledger entry " + p + " has trailing bytes");
                }
                return rows;
            }
            return (List<TrialRow>) first;
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new IOException("ledger entry " + p + " is not readable", e);
        }
    }

    /**
     * Records a unit's rows under its key, atomically (a temporary name unique to this writer, then rename); an
     * existing entry is kept unless {@code replace} (it failed to verify and the unit ran again).
     */
    void write(String key, List<TrialRow> rows, Configuration conf, String tag, boolean replace) {
        Path p = entry(key);
        FileSystem fs = HadoopFiles.fs(p, conf);
        // unique per writer: two attempts (or two drivers) never share a temporary name
        Path tmp = new Path(p.getParent(), "." + p.getName() + tag + "-" + java.util.UUID.randomUUID() + ".tmp");
        try {
            if (fs.exists(p) && !replace) {
                return;
            }
            fs.mkdirs(p.getParent());
            try (FSDataOutputStream raw = fs.create(tmp, true);
                 ObjectOutputStream out = new ObjectOutputStream(new GZIPOutputStream(raw))) {
                out.writeObject(FORMAT);
                out.writeObject(key);
                out.writeObject(new ArrayList<>(rows));
            }
            if (replace) {
                fs.delete(p, false);
            }
            if (!fs.rename(tmp, p)) {
                fs.delete(tmp, false); // another attempt got there first: its rows are the same
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ledger entry " + p, e);
        }
    }

    void write(String key, List<TrialRow> rows, Configuration conf, String tag) {
        write(key, rows, conf, tag, false);
    }
}
