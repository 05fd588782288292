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
