package org.engram.jobs.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.engram.kernels.data.ImageSet;

/**
 * Datasets as work units see them: loaded once per JVM (once per executor, not once per task) by a
 * loader that the engine installs (the driver's, which reads through Hadoop's FileSystem and checks
 * every file), then shared read-only by every unit in that JVM.
 */
public final class DataCache {
    /** Loads one split of a dataset from a data root. */
    @FunctionalInterface
    public interface Loader {
        ImageSet load(String root, String name, String split);
    }

    private static volatile Loader loader;
    private static final Map<String, ImageSet> CACHE = new ConcurrentHashMap<>();

    private DataCache() {
    }

    /** Installs the loader (idempotent; the engine does this before units run). */
    public static void install(Loader l) {
        loader = l;
    }

    public static ImageSet get(String root, String name, String split) {
        Loader l = loader;
        if (l == null) {
            throw new IllegalStateException("no dataset loader installed: datasets are loaded by the engine");
        }
        return CACHE.computeIfAbsent(root + "\u0000" + name + "\u0000" + split, k -> l.load(root, name, split));
    }

    private static final Map<String, float[]> BINARISED = new ConcurrentHashMap<>();
    /** What each (root/name) held when this JVM last was told: its splits and checksums. */
    private static final Map<String, String> EXPECTED = new ConcurrentHashMap<>();

    /**
     * Tells the cache what the datasets a sweep reads are, by content ("root/name" → splits and checksums, as
     * the driver checked them before the sweep). A dataset whose content changed since this JVM last cached
     * it (replaced in place: the 10k MNIST subset by the full set, say) is dropped with everything derived in
     * memory, so a long-lived JVM — a nightly run of many sweeps, a driver in local mode — never trains on
     * the old images. Called by the engine before a partition's units run.
     */
    public static synchronized void expect(Map<String, String> identity) {
        boolean changed = false;
        for (Map.Entry<String, String> e : identity.entrySet()) {
            String before = EXPECTED.put(e.getKey(), e.getValue());
            if (before != null && !before.equals(e.getValue())) {
                int cut = e.getKey().lastIndexOf('/');
                String prefix = e.getKey().substring(0, cut) + "\u0000" + e.getKey().substring(cut + 1) + "\u0000";
                CACHE.keySet().removeIf(k -> k.startsWith(prefix));
                BINARISED.keySet().removeIf(k -> k.startsWith(prefix));
                changed = true;
            }
        }
        if (changed) {
            SharedState.clearMemory(); // derived values (splits, projections, trajectories) may hold old images
        }
    }

    /** The split's pixels as 0/1 floats (images × pixels), computed once per JVM. */
    public static float[] zeroOne(String root, String name, String split, org.engram.kernels.data.Binarisation b) {
        ImageSet s = get(root, name, split);
        return BINARISED.computeIfAbsent(root + "\u0000" + name + "\u0000" + split + "\u0000" + b, k -> b.zeroOne(s));
    }

    /** The split's pixels as ±1 spins (images × pixels), computed once per JVM. */
    public static float[] spins(String root, String name, String split, org.engram.kernels.data.Binarisation b) {
        ImageSet s = get(root, name, split);
        return BINARISED.computeIfAbsent(root + "\u0000" + name + "\u0000" + split + "\u0000" + b + "\u0000spins",
                k -> b.spins(s));
    }

    /** Any value derived from datasets (a projection, say), computed once per JVM under {@code key}. */
    public static <T> T derived(String key, java.util.function.Supplier<T> make) {
        return SharedState.memory("data\u0000" + key, make);
    }

    /** A data set a unit needs: root, name and split. */
    public record Need(String root, String name, String split) implements java.io.Serializable {
    }

    /** Work units that read datasets say which, so the driver can check them before any work starts. */
    public interface NeedsData {
        java.util.List<Need> datasets();
    }
}
