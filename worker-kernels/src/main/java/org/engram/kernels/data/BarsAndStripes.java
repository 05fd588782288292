package org.engram.kernels.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The RAPID paper's synthetic data as ±1 images (row-major, n × n pixels), generated — never shipped.
 * <ul>
 * <li>{@link #bars4}: the 4 × 4 Bars set of Sec. V A with the authors' split (REFERENCE-NOTES): every row of an
 * image equals one 4-vector (vertical bars); train = 1000, 1100, 1110, 1011, 1101 and their negations (10 images),
 * test = 1010, 1001 and their negations (4); all-on and all-off excluded. Both sets are closed under negation,
 * so no image leaks into the other set through the v ↔ −v symmetry of a bias-free model.</li>
 * <li>{@link #bas}: n × n bars and stripes as the paper counts them: every non-empty proper subset of columns
 * (bars) and of rows (stripes), 2(2ⁿ − 2) images (8,188 at n = 12).</li>
 * </ul>
 * A partial image for reconstruction (Appendix C) keeps the line perpendicular to the image's lines — the top
 * row of a bars image, the left column of a stripes image — which determines the image.
 */
public final class BarsAndStripes {
    private BarsAndStripes() {
    }

    /**
     * Images and, per image, which pixels its partial version keeps.
     *
     * @param side   n (images are n × n)
     * @param count  images
     * @param pixels count × n² values ±1
     * @param keep   count × n², the pixels kept for reconstruction
     */
    public record Images(int side, int count, float[] pixels, boolean[] keep) {
        public int width() {
            return side * side;
        }

        /** Rows [from, to) in the given order. */
        public Images select(int[] order, int from, int to) {
            int w = width();
            float[] p = new float[(to - from) * w];
            boolean[] k = new boolean[p.length];
            for (int r = from; r < to; r++) {
                System.arraycopy(pixels, order[r] * w, p, (r - from) * w, w);
                System.arraycopy(keep, order[r] * w, k, (r - from) * w, w);
            }
            return new Images(side, to - from, p, k);
        }

        /** The first n images (all of them when n is 0 or at least the count). */
        public Images head(int n) {
            if (n == 0 || n >= count) {
                return this;
            }
            int w = width();
            return new Images(side, n, java.util.Arrays.copyOf(pixels, n * w), java.util.Arrays.copyOf(keep, n * w));
        }
    }

    private static final String[] BARS4_TRAIN = {"1000", "1100", "1110", "1011", "1101"};
    private static final String[] BARS4_TEST = {"1010", "1001"};

    /** The 4 × 4 Bars training set (10 images). */
    public static Images bars4Train() {
        return bars4(BARS4_TRAIN);
    }

    /** The 4 × 4 Bars test set (4 images). */
    public static Images bars4Test() {
        return bars4(BARS4_TEST);
    }

    private static Images bars4(String[] rows) {
        List<boolean[]> cols = new ArrayList<>();
        for (String r : rows) {
            boolean[] on = new boolean[4];
            for (int c = 0; c < 4; c++) {
                on[c] = r.charAt(c) == '1';
            }
            cols.add(on);
            boolean[] neg = new boolean[4];
            for (int c = 0; c < 4; c++) {
                neg[c] = !on[c];
            }
            cols.add(neg);
        }
        return build(4, cols, List.of());
    }

    /** All n × n bars and stripes without all-on and all-off: bars first (column subsets by bit code), then stripes. */
    public static Images bas(int n) {
        if (n < 2 || n > 20) {
            throw new IllegalArgumentException("side must be in [2, 20], found " + n);
        }
        List<boolean[]> bars = new ArrayList<>();
        List<boolean[]> stripes = new ArrayList<>();
        int full = (1 << n) - 1;
        for (int code = 1; code < full; code++) {
            boolean[] on = new boolean[n];
            for (int c = 0; c < n; c++) {
                on[c] = ((code >>> c) & 1) != 0;
            }
            bars.add(on);
            stripes.add(on.clone());
        }
        return build(n, bars, stripes);
    }

    private static Images build(int n, List<boolean[]> bars, List<boolean[]> stripes) {
        int count = bars.size() + stripes.size();
        int w = n * n;
        float[] p = new float[count * w];
        boolean[] keep = new boolean[count * w];
        int img = 0;
        for (boolean[] on : bars) {
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    p[img * w + r * n + c] = on[c] ? 1f : -1f;
                    keep[img * w + r * n + c] = r == 0;
                }
            }
            img++;
        }
        for (boolean[] on : stripes) {
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    p[img * w + r * n + c] = on[r] ? 1f : -1f;
                    keep[img * w + r * n + c] = c == 0;
                }
            }
            img++;
        }
        return new Images(n, count, p, keep);
    }

    /**
     * A random split of the images: the first round(fraction · count) of a shuffle by {@code rng} for training, the
     * rest for testing.
     */
    public static Images[] split(Images all, double trainFraction, SplittableRandom rng) {
        int[] order = new int[all.count()];
        org.engram.kernels.random.Shuffle.permutation(order, order.length, rng);
        int train = (int) Math.round(trainFraction * all.count());
        return new Images[] {all.select(order, 0, train), all.select(order, train, all.count())};
    }
}
