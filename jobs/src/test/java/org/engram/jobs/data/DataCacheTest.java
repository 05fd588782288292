package org.engram.jobs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.engram.kernels.data.Binarisation;
import org.engram.kernels.data.ImageSet;
import org.junit.jupiter.api.Test;

class DataCacheTest {
    @Test
    void aDatasetReplacedInPlaceIsReloadedWithWhatWasDerivedFromIt() {
        AtomicInteger loads = new AtomicInteger();
        byte[][] pixels = {{0, 0, 0, 0}};
        DataCache cache = new DataCache((root, name, split) -> {
            loads.incrementAndGet();
            return new ImageSet(name, pixels[0].clone(), new byte[1], 1, 2, 2, 10);
        }, new SharedState());
        String root = "/tmp/engram-datacache-test-" + System.nanoTime();
        cache.expect(Map.of(root + "/toy", "toy {train} sha-A", root + "/other", "other sha-X"));
        ImageSet first = cache.get(root, "toy", "train");
        float[] bits = cache.zeroOne(root, "toy", "train", Binarisation.ABOVE_127);
        AtomicInteger derived = new AtomicInteger();
        cache.derived(root + "|toy|split", derived::incrementAndGet);
        cache.get(root, "other", "train");
        assertEquals(2, loads.get());

        // the same content again (the next sweep of a nightly run, say): everything stays cached
        cache.expect(Map.of(root + "/toy", "toy {train} sha-A"));
        assertSame(first, cache.get(root, "toy", "train"));
        assertSame(bits, cache.zeroOne(root, "toy", "train", Binarisation.ABOVE_127));
        assertEquals(1, (int) cache.derived(root + "|toy|split", derived::incrementAndGet));
        assertEquals(2, loads.get());

        // replaced in place: new checksums; the next read loads the new images, derived values are recomputed
        pixels[0] = new byte[] {(byte) 200, 0, 0, (byte) 255};
        cache.expect(Map.of(root + "/toy", "toy {train} sha-B"));
        ImageSet second = cache.get(root, "toy", "train");
        assertEquals(3, loads.get());
        assertEquals((byte) 200, second.pixels()[0]);
        assertEquals(1f, cache.zeroOne(root, "toy", "train", Binarisation.ABOVE_127)[0]);
        assertEquals(2, (int) cache.derived(root + "|toy|split", derived::incrementAndGet));
        cache.get(root, "other", "train"); // another dataset, unchanged, stays cached
        assertEquals(3, loads.get());
    }
}
