package org.engram.driver.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.engram.driver.output.Provenance;
import org.engram.export.fs.HadoopFiles;
import org.engram.jobs.core.CodeVersion;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.WorkUnit;

/**
 * Finished work, content-addressed: every work unit that completed without failures is recorded under
 * {@code <output>/<sweep-id>/ledger/} with its rows, addressed by SHA-256 of (job, code version, the unit's
 * fingerprint — seed, cells, replicates, result-affecting settings — and the content of the data it reads). A
 * re-submitted sweep replays the rows of every unit whose entry verifies and computes only the rest; changing a
 * kernel (its bytecode) or a result-affecting parameter changes the keys of exactly the units concerned.
 *
 * <p>Entries are grouped into <b>segments</b>: a Spark task appends the units it finishes to one segment file of
 * its own (temporary name, sealed — an index of its keys and a footer written, then renamed into place — when the
 * task ends and whenever it has been open {@code ledger.seal-seconds}, so that a killed task loses at most that much
 * work). A segment is {@code MAGIC}, records, an index and a footer:
 * <pre>
 *   record := RECORD key(UTF) length(int) payload crc32c(key ‖ payload)(long)
 *   payload := FORMAT(UTF) key(UTF) rows (see {@link RowCodec})
 *   index  := INDEX count(int) (key(UTF) offset(long) length(int))* crc32c(index)(long)
 *   footer := indexOffset(long) FOOTER(long)
 * </pre>
 * Files per sweep are bounded by tasks (times their length over the seal interval), not by units; listing and
 * reading the ledger costs one directory listing and one sequential read per segment — never a process or a
 * NameNode object per unit — and {@link #compact} folds all segments into one. Ledgers of the first layout (one
 * {@code <xx>/<key>.rows.gz} file per unit) are still read, and compaction migrates them.
 *
 * <p>Every entry verifies itself: its checksum (a truncated or corrupted record fails it), the key it names inside
 * its payload (a misfiled one fails) and, on replay, the trials it holds against those the unit owes. Units with
 * FAILED trials are not recorded: they run again.
 */
public final class Ledger implements Serializable {
    private static final long serialVersionUID = 2L;
    /** The format tag that opens an entry's payload, followed by the key it belongs to. */
    static final String FORMAT = "engram-ledger/3";
    /** The tag of entries of the first layout (one gzip'd Java serialisation per file). */
    static final String LEGACY_FORMAT = "engram-ledger/2";
    public static final String SEGMENT = ".seg";
    public static final String LEGACY = ".rows.gz";
    /** Beside each sealed segment, the keys it holds: what a damaged segment lost, counted exactly. */
    static final String KEYS = ".keys";
    private static final String KEYS_FORMAT = "engram-ledger-keys/1";
    private static final long MAGIC = 0x454e4752414d5347L; // "ENGRAMSG"
    private static final int RECORD = 0x52454331; // "REC1"
    private static final int INDEX = 0x49445831; // "IDX1"
    private static final long FOOTER = 0x454e475345414cL; // "ENGSEAL"

    private final String dir;

    public Ledger(String dir) {
        this.dir = dir;
    }

    String dir() {
        return dir;
    }

    /** The job's code version: the bytecode its work units can reach, computed (see {@link CodeVersion}). */
    public static String codeVersion(Job<?> job) {
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

    /** Where one entry lies: a segment and the payload's place in it, or a whole file of the first layout. */
    public record Location(Path file, long offset, int length, boolean legacy) {
    }

    /**
     * What a scan of the ledger found: each key's entries whose checksum verifies (in file order; a key can have
     * several — a retried task, or an entry rewritten after it failed to verify), the segment and legacy files, the
     * keys of records whose checksum failed or that were cut short, and the segments cut short (no index and footer:
     * truncated, or damaged past their last complete record).
     */
    public record Scan(Map<String, List<Location>> entries, List<Path> segments, List<Path> legacy,
                java.util.Set<String> damaged, List<Path> unsealed) {
        public int corrupt() {
            return damaged.size();
        }

        public int files() {
            return segments.size() + legacy.size();
        }
    }

    /** The ledger's segment files and first-layout entry files, each sorted (listStatus: no process per file). */
    private record Listing(List<Path> segments, List<Path> legacy) {
    }

    private Listing list(FileSystem fs) throws IOException {
        List<Path> segments = new ArrayList<>();
        List<Path> legacy = new ArrayList<>();
        Path root = new Path(dir);
        if (fs.exists(root)) {
            // listStatus, not listFiles: a located status reads each local file's permissions through a process
            for (FileStatus st : fs.listStatus(root)) {
                String name = st.getPath().getName();
                if (name.startsWith(".")) {
                    continue;
                }
                if (st.isFile() && name.endsWith(SEGMENT)) {
                    segments.add(st.getPath());
                } else if (st.isDirectory() && name.length() == 2) {
                    for (FileStatus f : fs.listStatus(st.getPath())) {
                        String n = f.getPath().getName();
                        if (f.isFile() && n.endsWith(LEGACY) && !n.startsWith(".")) {
                            legacy.add(f.getPath());
                        }
                    }
                }
            }
        }
        segments.sort(null);
        legacy.sort(null);
        return new Listing(segments, legacy);
    }

    /** How many files the ledger has: its segments and its first-layout entries (listings only). */
    public int files(Configuration conf) {
        try {
            Listing l = list(HadoopFiles.fs(new Path(dir), conf));
            return l.segments().size() + l.legacy().size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the ledger " + dir, e);
        }
    }

    /** Lists the ledger and reads every segment once, checking each record's checksum. */
    public Scan scan(Configuration conf) {
        FileSystem fs = HadoopFiles.fs(new Path(dir), conf);
        Map<String, List<Location>> entries = new LinkedHashMap<>();
        List<Path> unsealed = new ArrayList<>();
        java.util.Set<String> damaged = new java.util.HashSet<>();
        try {
            Listing l = list(fs);
            for (Path seg : l.segments()) {
                java.util.Set<String> read = new java.util.HashSet<>();
                int before = unsealed.size();
                int damagedBefore = damaged.size();
                readSegment(fs, seg, entries, damaged, unsealed, read);
                if (unsealed.size() > before || damaged.size() > damagedBefore) {
                    // damaged: every key its sidecar names that did not verify here is damaged too (a record cut
                    // off, or one whose own key was garbled), so that the loss is counted, not silently recomputed
                    for (String k : sidecarKeys(fs, seg)) {
                        if (!read.contains(k)) {
                            damaged.add(k);
                        }
                    }
                }
            }
            for (Path p : l.legacy()) {
                String n = p.getName();
                entries.computeIfAbsent(n.substring(0, n.length() - LEGACY.length()), k -> new ArrayList<>())
                        .add(new Location(p, 0, -1, true));
            }
            return new Scan(entries, l.segments(), l.legacy(), damaged, unsealed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ledger " + dir, e);
        }
    }

    /** Reads one segment's records in order: the keys of those that verify, and of those that do not. */
    private static void readSegment(FileSystem fs, Path seg, Map<String, List<Location>> entries,
                                    java.util.Set<String> damaged, List<Path> unsealed, java.util.Set<String> read)
            throws IOException {
        int records = 0;
        String key = null;
        try (FSDataInputStream raw = fs.open(seg);
             org.apache.commons.io.input.BoundedInputStream counted = org.apache.commons.io.input.BoundedInputStream
                     .builder().setInputStream(new java.io.BufferedInputStream(raw, 1 << 16)).get();
             DataInputStream in = new DataInputStream(counted)) {
            if (in.readLong() != MAGIC) {
                unsealed.add(seg);
                return;
            }
            while (true) {
                key = null;
                int marker = in.readInt();
                if (marker == INDEX) {
                    int count = in.readInt();
                    for (int i = 0; i < count; i++) {
                        in.readUTF();
                        in.readLong();
                        in.readInt();
                    }
                    in.readLong(); // the index's checksum
                    in.readLong(); // its offset
                    if (in.readLong() != FOOTER || count != records) {
                        unsealed.add(seg);
                    }
                    return;
                }
                if (marker != RECORD) {
                    unsealed.add(seg);
                    return;
                }
                key = in.readUTF();
                int length = in.readInt();
                if (length < 0 || length > (1 << 30)) {
                    damaged.add(key);
                    unsealed.add(seg);
                    return;
                }
                long payloadAt = counted.getCount();
                byte[] payload = new byte[length];
                in.readFully(payload);
                long crc = in.readLong();
                records++;
                if (crc == crc(key.getBytes(StandardCharsets.UTF_8), payload)) {
                    read.add(key);
                    entries.computeIfAbsent(key, k -> new ArrayList<>()).add(new Location(seg, payloadAt, length,
                            false));
                } else {
                    damaged.add(key);
                }
            }
        } catch (EOFException | java.io.UTFDataFormatException e) {
            // cut short: the complete records before the cut are kept, the one cut is damaged
            if (key != null) {
                damaged.add(key);
            }
            unsealed.add(seg);
        }
    }

    /** The sidecar of a segment: {@code <segment>.keys}. */
    static Path sidecar(Path segment) {
        return new Path(segment.getParent(), segment.getName() + KEYS);
    }

    /** The keys a segment's sidecar names, or none when it has none or it does not verify (segments of before). */
    public static List<String> sidecarKeys(FileSystem fs, Path segment) {
        Path p = sidecar(segment);
        try (InputStream in = fs.open(p)) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            if (lines.length < 2 || !lines[0].equals(KEYS_FORMAT) || !lines[lines.length - 1].startsWith("crc32c ")) {
                return List.of();
            }
            List<String> keys = List.of(lines).subList(1, lines.length - 1);
            CRC32C c = new CRC32C();
            c.update(String.join("\n", keys).getBytes(StandardCharsets.UTF_8));
            return Long.toHexString(c.getValue()).equals(lines[lines.length - 1].substring(7)) ? keys : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    static byte[] sidecarBytes(List<String> keys) {
        CRC32C c = new CRC32C();
        c.update(String.join("\n", keys).getBytes(StandardCharsets.UTF_8));
        StringBuilder b = new StringBuilder(KEYS_FORMAT).append('\n');
        for (String k : keys) {
            b.append(k).append('\n');
        }
        return b.append("crc32c ").append(Long.toHexString(c.getValue())).append('\n').toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    static long crc(byte[] key, byte[] payload) {
        CRC32C c = new CRC32C();
        c.update(key);
        c.update(payload);
        return c.getValue();
    }

    /**
     * Reads entries, keeping each file it reads open until closed: a replay reads many entries of few segments. The
     * rows are verified: the payload must name the key asked for (a misfiled entry is an error) and decompress whole
     * (gzip's own check). Entries of the very first layout carry no key and are checked by the caller against the
     * trials the unit owes.
     */
    public static final class Reader implements Closeable {
        private final FileSystem fs;
        private final Map<Path, FSDataInputStream> open = new java.util.HashMap<>();

        public Reader(FileSystem fs) {
            this.fs = fs;
        }

        public List<TrialRow> rows(String key, Location at) throws IOException {
            return decode(key, bytes(at), at.file());
        }

        /**
         * The rows of the first of a unit's entries that verifies — readable, all OK, exactly the trials the unit
         * owes — or null when none does.
         */
        List<TrialRow> verified(String key, WorkUnit unit, List<Location> at) {
            for (Location loc : at) {
                try {
                    List<TrialRow> rows = rows(key, loc);
                    if (rows.stream().allMatch(TrialRow::isOk) && owesExactly(unit, rows)) {
                        return rows;
                    }
                } catch (IOException | RuntimeException e) {
                    // not this one: a later entry (a rewrite) may verify
                }
            }
            return null;
        }

        public byte[] bytes(Location at) throws IOException {
            if (at.legacy()) {
                try (InputStream in = fs.open(at.file())) {
                    return in.readAllBytes();
                }
            }
            FSDataInputStream in = open.get(at.file());
            if (in == null) {
                in = fs.open(at.file());
                open.put(at.file(), in);
            }
            byte[] b = new byte[at.length()];
            // seek and read, not a positioned read: on a checksummed file system that opens a new stream per call
            in.seek(at.offset());
            in.readFully(b);
            return b;
        }

        @Override
        public void close() {
            for (FSDataInputStream in : open.values()) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
            open.clear();
        }
    }

    /**
     * An entry's rows: a payload of this format (tag, key, then the rows in {@link RowCodec}'s binary form) or a
     * gzip'd Java serialisation of the first layout (tag, key, rows — or, in the very first, the rows alone).
     */
    @SuppressWarnings("unchecked")
    public static List<TrialRow> decode(String key, byte[] bytes, Path file) throws IOException {
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (ObjectInputStream in = new ObjectInputStream(new GZIPInputStream(new ByteArrayInputStream(bytes)))) {
                Object first = in.readObject();
                if (LEGACY_FORMAT.equals(first)) {
                    checkKey(key, in.readObject(), file);
                    List<TrialRow> rows = (List<TrialRow>) in.readObject();
                    if (in.read() != -1) {
                        throw new IOException("ledger entry " + key + " in " + file + " has trailing bytes");
                    }
                    return rows;
                }
                return (List<TrialRow>) first;
            } catch (ClassNotFoundException | ClassCastException e) {
                throw new IOException("ledger entry " + key + " in " + file + " is not readable", e);
            }
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (!FORMAT.equals(in.readUTF())) {
            throw new IOException("ledger entry " + key + " in " + file + " is not of format " + FORMAT);
        }
        checkKey(key, in.readUTF(), file);
        List<TrialRow> rows = RowCodec.read(in);
        if (in.read() != -1) {
            throw new IOException("ledger entry " + key + " in " + file + " has trailing bytes");
        }
        return rows;
    }

    private static void checkKey(String key, Object named, Path file) throws IOException {
        if (!key.equals(named)) {
            throw new IOException("ledger entry " + key + " in " + file + " is misfiled: it holds the rows of " + named);
        }
    }

    public static byte[] encode(String key, List<TrialRow> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(FORMAT);
            out.writeUTF(key);
            RowCodec.write(rows, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode ledger entry " + key, e);
        }
        return bytes.toByteArray();
    }

    /**
     * Removes the temporary files of a run's segments that were never sealed ({@code .seg-<runTag>-….tmp}): what a
     * run that fails leaves; sealed segments are kept. Best effort: {@code engram clean} removes what stays.
     */
    void removeUnsealed(String runTag, Configuration conf) {
        Path root = new Path(dir);
        try {
            FileSystem fs = HadoopFiles.fs(root, conf);
            if (!fs.exists(root)) {
                return;
            }
            for (FileStatus st : fs.listStatus(root)) {
                String n = st.getPath().getName();
                if (n.startsWith(".seg-" + runTag + "-") && n.endsWith(".tmp")) {
                    fs.delete(st.getPath(), false);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // engram clean removes them
        }
    }

    /** Opens a new segment for one writer (a task attempt); nothing is visible under its name until it is sealed. */
    public Segment open(Configuration conf, String tag) {
        Path target = new Path(dir, "seg-" + tag + "-" + UUID.randomUUID() + SEGMENT);
        return new Segment(HadoopFiles.fs(target, conf), target);
    }

    /**
     * Whether a ledger entry's rows are the ones a unit owes: each trial it owes exactly once, in the tables it owes
     * them in, and no other.
     */
    static boolean owesExactly(WorkUnit unit, List<TrialRow> rows) {
        java.util.Set<String> owed = new java.util.HashSet<>();
        java.util.Set<String> tablesOwed = new java.util.HashSet<>();
        for (org.engram.jobs.core.Trial t : unit.trialsOwed()) {
            owed.add(t.table() + "|" + t.cell().key() + "|" + t.replicate());
            tablesOwed.add(t.table());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (TrialRow r : rows) {
            if (tablesOwed.contains(r.table()) && !seen.add(r.table() + "|" + r.cell().key() + "|" + r.replicate())) {
                return false; // a trial twice
            }
        }
        return seen.equals(owed);
    }

    /** One key of a segment's index: where its payload starts and how long it is. */
    private record IndexEntry(String key, long offset, int length) {
    }

    /** A segment being written: records appended, then sealed (index, footer, rename) by {@link #close}. */
    public static final class Segment implements Closeable {
        private final FileSystem fs;
        private final Path target;
        private final Path tmp;
        private final long opened = System.nanoTime();
        private final List<IndexEntry> index = new ArrayList<>();
        private FSDataOutputStream raw;
        private DataOutputStream out;

        public Segment(FileSystem fs, Path target) {
            this.fs = fs;
            this.target = target;
            this.tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        }

        Path target() {
            return target;
        }

        int size() {
            return index.size();
        }

        double ageSeconds() {
            return (System.nanoTime() - opened) / 1e9;
        }

        /** Appends one unit's rows. */
        public void append(String key, List<TrialRow> rows) {
            append(key, encode(key, rows));
        }

        public void append(String key, byte[] payload) {
            try {
                if (out == null) {
                    fs.mkdirs(target.getParent());
                    raw = fs.create(tmp, true);
                    out = new DataOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16));
                    out.writeLong(MAGIC);
                }
                byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
                out.writeInt(RECORD);
                out.writeUTF(key);
                out.writeInt(payload.length);
                long at = out.size();
                out.write(payload);
                out.writeLong(crc(keyBytes, payload));
                index.add(new IndexEntry(key, at, payload.length));
            } catch (IOException | org.apache.hadoop.fs.FSError e) {
                throw HadoopFiles.failure("cannot write ledger segment " + tmp, e);
            }
        }

        /** Seals the segment: writes the index of its keys and the footer, then renames it into place. */
        @Override
        public void close() {
            if (out == null) {
                return;
            }
            try {
                long indexAt = out.size();
                ByteArrayOutputStream ib = new ByteArrayOutputStream();
                DataOutputStream idx = new DataOutputStream(ib);
                idx.writeInt(INDEX);
                idx.writeInt(index.size());
                for (IndexEntry e : index) {
                    idx.writeUTF(e.key());
                    idx.writeLong(e.offset());
                    idx.writeInt(e.length());
                }
                idx.flush();
                byte[] indexBytes = ib.toByteArray();
                out.write(indexBytes);
                CRC32C c = new CRC32C();
                c.update(indexBytes);
                out.writeLong(c.getValue());
                out.writeLong(indexAt);
                out.writeLong(FOOTER);
                out.close();
                out = null;
                // the keys beside it, before the segment is visible: a segment that is later damaged says what it held
                HadoopFiles.write(sidecar(target), fs.getConf(), sidecarBytes(index.stream().map(IndexEntry::key)
                        .toList()));
                if (!fs.rename(tmp, target)) {
                    throw new IOException("cannot rename " + tmp + " to " + target);
                }
            } catch (IOException | org.apache.hadoop.fs.FSError e) {
                throw HadoopFiles.failure("cannot seal ledger segment " + target, e);
            }
        }

        /** Gives up a segment that could not be written: its temporary file goes. */
        void abandon() {
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException | org.apache.hadoop.fs.FSError ignored) {
                // the delete below is what matters
            }
            out = null;
            try {
                fs.delete(tmp, false);
            } catch (IOException ignored) {
                // engram clean removes it
            }
        }
    }

    /** What a compaction did. */
    public record Compaction(int filesBefore, int entries, int dropped, Path segment) {
    }

    /**
     * Folds every segment and legacy entry into one new segment — one verified entry per key; entries that fail their
     * checksum or name another key are dropped — then deletes the files folded. Run it only under the sweep's lock
     * (a run does, and {@code engram ledger compact} takes it). Safe to interrupt: the new segment is renamed into
     * place before anything is deleted, and duplicates are harmless.
     */
    public Compaction compact(Configuration conf) {
        Scan scan = scan(conf);
        FileSystem fs = HadoopFiles.fs(new Path(dir), conf);
        int kept = 0;
        int dropped = scan.corrupt();
        Segment seg = open(conf, "compact");
        try (Reader reader = new Reader(fs)) {
            for (Map.Entry<String, List<Location>> e : scan.entries().entrySet()) {
                byte[] good = null;
                for (Location at : e.getValue()) {
                    try {
                        byte[] bytes = reader.bytes(at);
                        List<TrialRow> rows = decode(e.getKey(), bytes, at.file());
                        good = at.legacy() ? encode(e.getKey(), rows) : bytes;
                        break;
                    } catch (IOException | RuntimeException bad) {
                        dropped++;
                    }
                }
                if (good != null) {
                    seg.append(e.getKey(), good);
                    kept++;
                }
            }
            seg.close();
        } catch (RuntimeException e) {
            seg.abandon();
            throw e;
        }
        try {
            for (Path p : scan.segments()) {
                fs.delete(p, false);
                fs.delete(sidecar(p), false);
            }
            for (Path p : scan.legacy()) {
                fs.delete(p, false);
            }
            for (FileStatus st : fs.listStatus(new Path(dir))) {
                if (st.isDirectory() && st.getPath().getName().length() == 2 && fs.listStatus(st.getPath()).length == 0) {
                    fs.delete(st.getPath(), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove compacted ledger files under " + dir, e);
        }
        return new Compaction(scan.files(), kept, dropped, kept == 0 ? null : seg.target());
    }
}
