package org.engram.driver.output;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a result came from: code version, jar, JVM, BLAS, host. */
public final class Provenance {
    private Provenance() {
    }

    /** The BLAS implementation netlib picked in this JVM (native first, then VectorBLAS, then Java). */
    public static String blas() {
        try {
            return dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getSimpleName();
        } catch (Throwable t) {
            return "unavailable: " + t;
        }
    }

    /** The git commit: -Dengram.git.commit, else the build's git-commit resource, else git, else "unknown". */
    public static String gitCommit() {
        String p = System.getProperty("engram.git.commit");
        if (p != null && !p.isBlank()) {
            return p;
        }
        try (InputStream in = Provenance.class.getResourceAsStream("/org/engram/git-commit.txt")) {
            if (in != null) {
                String s = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                if (s.matches("[0-9a-f]{7,40}(-dirty)?")) {
                    return s;
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        try {
            Process pr = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String s = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (pr.waitFor() == 0 && s.matches("[0-9a-f]{40}")) {
                return s;
            }
        } catch (IOException | InterruptedException ignored) {
            // fall through
        }
        return "unknown";
    }

    /** SHA-256 of the jar this class was loaded from ("classes directory" when not from a jar). */
    public static String jarSha256() {
        try {
            File f = new File(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!f.isFile()) {
                return "classes directory " + f;
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(f.toPath())));
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * What fixes the last bits of this JVM's floating point besides the code: the CPU (OpenBLAS picks its kernels
     * by CPU unless OPENBLAS_CORETYPE names them) and the width of the JVM's vectors (the kernels' sums keep a
     * partial per lane). Two runs of one conf give identical tables where these and the BLAS agree; a model as
     * chaotic as RAPID's cold RBM turns a last-bit difference into another trajectory within epochs.
     */
    public static String numerics() {
        return Numerics.VALUE;
    }

    /** Read once per JVM: a task asks for it at every partition, and neither the CPU nor the environment changes. */
    private static final class Numerics {
        static final String VALUE = read();
    }

    private static String read() {
        String cpu = System.getProperty("os.arch");
        try {
            Map<String, String> info = new LinkedHashMap<>();
            for (String line : Files.readAllLines(new File("/proc/cpuinfo").toPath(), StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (line.isBlank()) {
                    break;
                }
                if (colon > 0) {
                    info.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
            String flags = " " + info.getOrDefault("flags", "") + " ";
            cpu = info.getOrDefault("model name", cpu) + " (family " + info.getOrDefault("cpu family", "?")
                    + ", model " + info.getOrDefault("model", "?") + ", "
                    + (flags.contains(" avx512f ") ? "AVX-512" : flags.contains(" avx2 ") ? "AVX2" : "no AVX2") + ")";
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture is what there is
        }
        String core = System.getenv("OPENBLAS_CORETYPE");
        return cpu + ", Java vectors " + org.engram.kernels.rbm.Fused.vectorBits() + " bits, OpenBLAS core "
                + (core == null || core.isBlank() ? "by CPU" : core);
    }

    public static Map<String, Object> runtime() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("java_version", System.getProperty("java.version"));
        m.put("java_vendor", System.getProperty("java.vendor"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        m.put("host", host());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        Map<String, Object> slurm = slurm();
        if (slurm != null) {
            m.put("slurm", slurm);
        }
        return m;
    }

    /**
     * The Slurm job the driver runs in — job id, name, node list, nodes, partition, restart count (how many times it
     * was requeued) — or null outside Slurm.
     */
    static Map<String, Object> slurm() {
        String id = System.getenv("SLURM_JOB_ID");
        if (id == null || id.isBlank()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", id);
        m.put("job_name", System.getenv("SLURM_JOB_NAME"));
        m.put("node_list", System.getenv("SLURM_JOB_NODELIST"));
        m.put("nodes", System.getenv("SLURM_JOB_NUM_NODES"));
        m.put("partition", System.getenv("SLURM_JOB_PARTITION"));
        m.put("restart_count", slurmRestarts());
        return m;
    }

    /** How many times the Slurm job this runs in was requeued (SLURM_RESTART_COUNT); 0 outside Slurm. */
    public static int slurmRestarts() {
        try {
            return Integer.parseInt(System.getenv().getOrDefault("SLURM_RESTART_COUNT", "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
