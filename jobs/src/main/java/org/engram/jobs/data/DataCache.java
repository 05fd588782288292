package org.engram.jobs.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.engram.kernels.data.ImageSet;

/**
 * Datasets as work units see them: loaded once per executor (not once per task) by the engine's loader
 * (the driver's, which reads through Hadoop's FileSystem and checks every file), then shared read-only by
 * every unit in that JVM. The engine owns one cache per executor JVM and hands it to units through their
 * {@link org.engram.jobs.core.UnitContext}; jobs never reach it through a static.
 */
public final class DataCache {
    /** Loads one split of a dataset from a data root. */
    @FunctionalInterface
    public interface Loader {
        ImageSet load(String root, String name, String split);
    }

    private final Loader loader;
    private final SharedState shared;
    private final Map<String, ImageSet> cache = new ConcurrentHashMap<>();
    private final Map<String, float[]> binarised = new ConcurrentHashMap<>();
    /** What each (root/name) held when this cache last was told: its splits and checksums. */
    private final Map<String, String> expected = new ConcurrentHashMap<>();

    /**
     * @param loader reads one split of a dataset
     * @param shared where values derived from datasets are held ({@link #derived}); cleared of them when a
     *               dataset changes
     */
    public DataCache(Loader loader, SharedState shared) {
        this.loader = loader;
        this.shared = shared;
    }

    public ImageSet get(String root, String name, String split) {
        return cache.computeIfAbsent(root + "\u0000" + name + "\u0000" + split, k -> loader.load(root, name, split));
    }

    /**
     * Tells the cache what the datasets a sweep reads are, by content ("root/name" → splits and checksums, as
     * the driver checked them before the sweep). A dataset whose content changed since this JVM last cached
     * it (replaced in place: the 10k MNIST subset by the full set, say) is dropped with everything derived in
     * memory, so a long-lived JVM — a nightly run of many sweeps, a driver in local mode — never trains on
     * the old images. Called by the engine before a partition's units run.
     */
    public synchronized void expect(Map<String, String> identity) {
        boolean changed = false;
        for (Map.Entry<String, String> e : identity.entrySet()) {
            String before = expected.put(e.getKey(), e.getValue());
            if (before != null && !before.equals(e.getValue())) {
                int cut = e.getKey().lastIndexOf('/');
                String prefix = e.getKey().substring(0, cut) + "\u0000" + e.getKey().substring(cut + 1) + "\u0000";
                cache.keySet().removeIf(k -> k.startsWith(prefix));
                binarised.keySet().removeIf(k -> k.startsWith(prefix));
                changed = true;
            }
        }
        if (changed) {
            shared.clearMemory(); // derived values (splits, projections, trajectories) may hold old images
        }
    }

    /** The split's pixels as 0/1 floats (images × pixels), computed once per JVM. */
    public float[] zeroOne(String root, String name, String split, org.engram.kernels.data.Binarisation b) {
        ImageSet s = get(root, name, split);
        return binarised.computeIfAbsent(root + "\u0000" + name + "\u0000" + split + "\u0000" + b, k -> b.zeroOne(s));
    }

    /** The split's pixels as ±1 spins (images × pixels), computed once per JVM. */
    public float[] spins(String root, String name, String split, org.engram.kernels.data.Binarisation b) {
        ImageSet s = get(root, name, split);
        return binarised.computeIfAbsent(root + "\u0000" + name + "\u0000" + split + "\u0000" + b + "\u0000spins",
                k -> b.spins(s));
    }

    /** Any value derived from datasets (a projection, say), computed once per JVM under {@code key}. */
    public <T> T derived(String key, java.util.function.Supplier<T> make) {
        return shared.memory("data\u0000" + key, make);
    }

    /** A data set a unit needs: root, name and split. */
    public record Need(String root, String name, String split) implements java.io.Serializable {
    }

    /** Work units that read datasets say which, so the driver can check them before any work starts. */
    public interface NeedsData {
        java.util.List<Need> datasets();
    }
}
