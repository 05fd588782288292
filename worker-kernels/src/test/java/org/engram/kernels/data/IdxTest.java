package org.engram.kernels.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class IdxTest {
    static byte[] bytes(Idx.Array a, boolean gzip) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        if (gzip) {
            try (GZIPOutputStream z = new GZIPOutputStream(raw)) {
                Idx.write(z, a);
            }
        } else {
            Idx.write(raw, a);
        }
        return raw.toByteArray();
    }

    static Idx.Array sample() {
        byte[] d = new byte[3 * 4 * 5];
        new SplittableRandom(1).nextBytes(d);
        return new Idx.Array(new int[] {3, 4, 5}, d);
    }

    @Test
    void roundTripsRawAndGzip() throws IOException {
        Idx.Array a = sample();
        for (boolean gz : new boolean[] {false, true}) {
            Idx.Array b = Idx.read(new ByteArrayInputStream(bytes(a, gz)), "sample");
            assertEquals(a, b);
        }
        byte[] raw = bytes(a, false);
        assertEquals(0x00000803, ((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff));
        assertEquals(4 + 3 * 4 + 60, raw.length);
    }

    static String rejection(byte[] b) {
        IOException e = assertThrows(IOException.class, () -> Idx.read(new ByteArrayInputStream(b), "bad.idx"));
        assertTrue(e.getMessage().startsWith("bad.idx: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void rejectsCorruptFilesSayingWhy() throws IOException {
        byte[] good = bytes(sample(), false);
        assertTrue(rejection(Arrays.copyOf(good, good.length - 1)).contains("truncated"));
        assertTrue(rejection(Arrays.copyOf(good, good.length + 1)).contains("longer than its header"));
        assertTrue(rejection(new byte[0]).contains("empty"));
        assertTrue(rejection(Arrays.copyOf(good, 6)).contains("truncated IDX header"));
        byte[] magic = good.clone();
        magic[0] = 7;
        assertTrue(rejection(magic).contains("not an IDX file"));
        byte[] type = good.clone();
        type[2] = 0x0D;
        assertTrue(rejection(type).contains("not supported"));
        byte[] dim = good.clone();
        dim[4] = (byte) 0x80;
        assertTrue(rejection(dim).contains("dimension 0"));
        byte[] gz = bytes(sample(), true);
        IOException e = assertThrows(IOException.class,
                () -> Idx.read(new ByteArrayInputStream(Arrays.copyOf(gz, gz.length / 2)), "half.gz"));
        assertTrue(e.getMessage().startsWith("half.gz: corrupt or truncated"), e.getMessage());
    }

    @Test
    void imageSetsValidateTheirShape() {
        assertThrows(IllegalArgumentException.class, () -> new ImageSet("x", new byte[10], new byte[2], 2, 2, 2, 10));
        assertThrows(IllegalArgumentException.class, () -> new ImageSet("x", new byte[8], new byte[3], 2, 2, 2, 10));
        assertThrows(IllegalArgumentException.class, () -> new ImageSet("x", new byte[8], new byte[] {1, 10}, 2, 2, 2, 10));
        ImageSet s = new ImageSet("x", new byte[] {0, 127, (byte) 128, (byte) 255, 5, 6, 7, 8}, new byte[] {3, 4}, 2, 2, 2, 10);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0}, Binarisation.ABOVE_127.zeroOne(s));
        assertArrayEquals(new float[] {0, 1, 1, 1, 0, 0, 0, 0}, Binarisation.FROM_127.zeroOne(s));
        assertArrayEquals(new float[] {-1, -1, 1, 1, -1, -1, -1, -1}, Binarisation.ABOVE_127.spins(s));
        ImageSet t = s.select("y", new int[] {1});
        assertEquals(4, t.label(0));
        assertEquals(5, t.pixel(0, 0));
    }

    @Test
    void splitsAreDeterministicDisjointAndComplete() {
        int[][] a = Splits.trainValidation(1000, 100, 42);
        int[][] b = Splits.trainValidation(1000, 100, 42);
        assertArrayEquals(a[0], b[0]);
        assertArrayEquals(a[1], b[1]);
        assertEquals(900, a[0].length);
        assertEquals(100, a[1].length);
        boolean[] seen = new boolean[1000];
        for (int[] part : a) {
            for (int i : part) {
                assertTrue(!seen[i]);
                seen[i] = true;
            }
        }
        int[][] c = Splits.trainValidation(1000, 100, 43);
        assertTrue(!Arrays.equals(a[1], c[1]));
        // any prefix is a uniform sample: of a set stored sorted in 10 blocks (classes), the first 100 training
        // rows hold every block (sorted indices would give the first block only)
        boolean[] blocks = new boolean[10];
        for (int i = 0; i < 100; i++) {
            blocks[a[0][i] / 100] = true;
        }
        for (int k = 0; k < 10; k++) {
            assertTrue(blocks[k], "block " + k + " missing from the first 100 training rows");
        }
        assertThrows(IllegalArgumentException.class, () -> Splits.trainValidation(10, 11, 0));
    }

    /** The real Fashion-MNIST training set, from Debian's dataset-fashion-mnist (deploy/setup.sh installs it). */
    @Test
    void readsTheRealFashionMnistTrainingSet() throws IOException {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        Idx.Array images;
        Idx.Array labels;
        try (InputStream in = Files.newInputStream(dir.resolve("train-images-idx3-ubyte.gz"));
             InputStream lb = Files.newInputStream(dir.resolve("train-labels-idx1-ubyte.gz"))) {
            images = Idx.read(in, "train-images");
            labels = Idx.read(lb, "train-labels");
        }
        ImageSet s = ImageSet.of("fashion-mnist/train", images, labels, 10);
        assertEquals(60_000, s.count());
        assertEquals(28, s.rows());
        assertEquals(28, s.cols());
        int[] perClass = new int[10];
        for (int i = 0; i < s.count(); i++) {
            perClass[s.label(i)]++;
        }
        int[] expected = new int[10];
        Arrays.fill(expected, 6000);
        assertArrayEquals(expected, perClass, "Fashion-MNIST's training set has 6,000 images per class");
    }
}
