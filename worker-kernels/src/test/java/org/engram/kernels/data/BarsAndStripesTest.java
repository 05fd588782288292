package org.engram.kernels.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BarsAndStripesTest {
    private static Set<String> rows(BarsAndStripes.Images im) {
        Set<String> s = new HashSet<>();
        for (int r = 0; r < im.count(); r++) {
            s.add(Arrays.toString(Arrays.copyOfRange(im.pixels(), r * im.width(), (r + 1) * im.width())));
        }
        return s;
    }

    private static Set<String> negated(BarsAndStripes.Images im) {
        float[] p = im.pixels().clone();
        for (int q = 0; q < p.length; q++) {
            p[q] = -p[q];
        }
        return rows(new BarsAndStripes.Images(im.side(), im.count(), p, im.keep()));
    }

    @Test
    void basAt12HasThePapersCountWithoutDuplicatesOrUniformImages() {
        BarsAndStripes.Images all = BarsAndStripes.bas(12);
        assertEquals(8188, all.count());
        Set<String> distinct = rows(all);
        assertEquals(8188, distinct.size(), "no duplicates");
        for (int r = 0; r < all.count(); r++) {
            double s = 0;
            for (int i = 0; i < 144; i++) {
                s += all.pixels()[r * 144 + i];
            }
            assertTrue(Math.abs(s) < 144, "all-on and all-off are excluded");
        }
        BarsAndStripes.Images[] split = BarsAndStripes.split(all, 0.8, new SplittableRandom(1));
        assertEquals(6550, split[0].count());
        assertEquals(1638, split[1].count());
        Set<String> train = rows(split[0]);
        train.retainAll(rows(split[1]));
        assertTrue(train.isEmpty(), "train and test are disjoint");
        // the kept line determines the image: a bars image keeps its top row, a stripes image its left column
        for (int r = 0; r < all.count(); r++) {
            int kept = 0;
            for (int i = 0; i < 144; i++) {
                kept += all.keep()[r * 144 + i] ? 1 : 0;
            }
            assertEquals(12, kept);
        }
        assertEquals(2 * (16 - 2), BarsAndStripes.bas(4).count());
    }

    @Test
    void bars4IsTheAuthorsSplitClosedUnderNegation() {
        BarsAndStripes.Images train = BarsAndStripes.bars4Train();
        BarsAndStripes.Images test = BarsAndStripes.bars4Test();
        assertEquals(10, train.count());
        assertEquals(4, test.count());
        assertEquals(rows(train), negated(train));
        assertEquals(rows(test), negated(test));
        Set<String> both = rows(train);
        both.addAll(rows(test));
        assertEquals(14, both.size(), "14 inequivalent images, none shared");
        // every image: all four rows equal (vertical bars), the top row kept
        for (BarsAndStripes.Images im : new BarsAndStripes.Images[] {train, test}) {
            for (int r = 0; r < im.count(); r++) {
                for (int i = 0; i < 16; i++) {
                    assertEquals(im.pixels()[r * 16 + i % 4], im.pixels()[r * 16 + i], 0f);
                    assertEquals(i < 4, im.keep()[r * 16 + i]);
                }
            }
        }
        // 1000 is the first training image: columns 0 on, 1–3 off
        assertEquals(1f, train.pixels()[0], 0f);
        assertEquals(-1f, train.pixels()[1], 0f);
    }

    @Test
    void headIsTheFirstImagesWithTheirKeptLines() {
        BarsAndStripes.Images all = BarsAndStripes.bas(5);
        BarsAndStripes.Images three = all.head(3);
        assertEquals(3, three.count());
        assertTrue(Arrays.equals(Arrays.copyOf(all.pixels(), 3 * 25), three.pixels()));
        assertTrue(Arrays.equals(Arrays.copyOf(all.keep(), 3 * 25), three.keep()));
        assertTrue(all.head(0) == all && all.head(all.count()) == all && all.head(all.count() + 1) == all);
    }
}
