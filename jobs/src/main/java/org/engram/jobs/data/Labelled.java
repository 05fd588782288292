package org.engram.jobs.data;

import org.engram.kernels.data.Binarisation;
import org.engram.kernels.data.ImageSet;
import org.engram.kernels.data.Splits;

/**
 * A dataset's training and validation images as units see them: binarised rows with labels. The
 * validation set is the dataset's test split when it has one, otherwise a deterministic hold-out of the
 * training images (the offline 10k MNIST subset) that depends only on the dataset's name and the number of
 * rows held out — the same images for every sweep, so that tables of different sweeps are comparable.
 *
 * @param x     rows × width values (0/1 or ±1)
 * @param y     labels
 * @param count rows
 * @param width values per row
 */
public record Labelled(float[] x, byte[] y, int count, int width) {
    /** 0/1 units or ±1 spins. */
    public enum Coding { ZERO_ONE, SPINS }

    /**
     * {train, validation} of a dataset, binarised and coded, computed once per JVM (every unit of a sweep asks
     * for the same split; the arrays are shared read-only).
     */
    public static Labelled[] trainValidation(DataCache data, String root, String name, Binarisation bin, Coding coding, int holdoutRows) {
        long holdoutSeed = holdoutSeed(name);
        Labelled[] tv = data.derived("labelled\u0000" + root + "\u0000" + name + "\u0000" + bin + "\u0000" + coding
                + "\u0000" + holdoutRows + "\u0000" + holdoutSeed, () -> split(data, root, name, bin, coding, holdoutRows,
                holdoutSeed));
        return tv.clone();
    }

    /**
     * The seed of a dataset's hold-out: its name only — for {@code mnist-subset} the name it had when results were
     * run on it ({@code mnist}), so they hold out the same images again.
     */
    public static long holdoutSeed(String name) {
        return org.engram.kernels.random.Seeds.hash("holdout\u0000" + (name.equals("mnist-subset") ? "mnist" : name));
    }

    private static Labelled[] split(DataCache data, String root, String name, Binarisation bin, Coding coding, int holdoutRows,
                                    long holdoutSeed) {
        ImageSet meta = data.get(root, name, "train");
        float[] all = coding == Coding.SPINS ? data.spins(root, name, "train", bin)
                : data.zeroOne(root, name, "train", bin);
        int n = meta.pixelsPerImage();
        ImageSet test = testSplit(data, root, name);
        if (test != null) {
            float[] val = coding == Coding.SPINS ? data.spins(root, name, "test", bin)
                    : data.zeroOne(root, name, "test", bin);
            return new Labelled[] {new Labelled(all, meta.labels(), meta.count(), n),
                new Labelled(val, test.labels(), test.count(), n)};
        }
        int[][] split = Splits.trainValidation(meta.count(), Math.min(holdoutRows, meta.count() / 2), holdoutSeed);
        return new Labelled[] {new Labelled(gather(all, split[0], n), meta.select("train", split[0]).labels(),
                split[0].length, n), new Labelled(gather(all, split[1], n), meta.select("validation", split[1]).labels(),
                split[1].length, n)};
    }

    /** The dataset's test split, or null when it has none. */
    public static ImageSet testSplit(DataCache data, String root, String name) {
        try {
            return data.get(root, name, "test");
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("has no split 'test'")) {
                return null;
            }
            throw e;
        }
    }

    /** The given rows of a rows × n matrix. */
    public static float[] gather(float[] all, int[] rows, int n) {
        float[] out = new float[rows.length * n];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(all, rows[r] * n, out, r * n, n);
        }
        return out;
    }

    /** The rows from {@code from} on (a copy; this itself when {@code from} is 0). */
    public Labelled skip(int from) {
        if (from <= 0) {
            return this;
        }
        if (from >= count) {
            throw new IllegalArgumentException("cannot skip " + from + " of " + count + " rows");
        }
        return new Labelled(java.util.Arrays.copyOfRange(x, from * width, count * width),
                java.util.Arrays.copyOfRange(y, from, count), count - from, width);
    }

    /** The first {@code rows} rows (or all when 0 or more than there are). */
    public Labelled head(int rows) {
        return rows <= 0 || rows >= count ? this : new Labelled(x, y, rows, width);
    }
}
