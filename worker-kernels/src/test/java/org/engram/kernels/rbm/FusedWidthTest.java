package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sums and draws of {@link Fused} have the same bits whatever the JVM's vector width: this JVM's against a JVM held to
 * 128-bit vectors (-XX:MaxVectorSize=16, four lanes), on rows of lengths around the 16-partial layout's multiples.
 * Before the layout was fixed, a sum kept one partial per lane of the CPU's vectors, and AVX2 and AVX-512 hosts
 * disagreed in the last bits — which a cold RBM's training turns into another trajectory.
 */
class FusedWidthTest {
    static final int[] LENGTHS = {1, 3, 4, 8, 15, 16, 17, 31, 32, 33, 100, 784, 1000};

    /** The bits of every sum, a line each, for the inputs drawn from seed 7. */
    static List<String> sums() {
        SplittableRandom r = new SplittableRandom(7);
        List<String> out = new ArrayList<>();
        for (int n : LENGTHS) {
            float[] x = new float[n + 3];
            float[] y = new float[n + 3];
            float[] d = new float[n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (6 * r.nextGaussian());
                y[i] = (float) r.nextGaussian();
                d[i] = r.nextBoolean() ? 1f : -1f;
            }
            out.add("softplus " + n + " " + Double.doubleToRawLongBits(Fused.softplusSum(x, 1, y, 2, d, 3, 30f, n)));
            out.add("abs " + n + " " + Double.doubleToRawLongBits(Fused.absSum(x, 2, n)));
            float[] t = x.clone();
            double[] abs = {0};
            double lc = Fused.logCoshRow(t, 1, n, true, abs);
            long tanhBits = 0;
            for (float v : t) {
                tanhBits = 31 * tanhBits + Float.floatToRawIntBits(v);
            }
            out.add("logcosh " + n + " " + Double.doubleToRawLongBits(lc) + " " + Double.doubleToRawLongBits(abs[0])
                    + " " + tanhBits);
            // and the element-wise parts: the logistic in place, then ±1 draws from it
            float[] p = x.clone();
            Fused.sigmoidRows(p, 1, p.length, new float[p.length]);
            float[] s = new float[p.length];
            Fused.spins(p, 0, s, 0, p.length, new SplittableRandom(n));
            long bits = 0;
            for (int i = 0; i < p.length; i++) {
                bits = 31 * (31 * bits + Float.floatToRawIntBits(p[i])) + Float.floatToRawIntBits(s[i]);
            }
            out.add("sigmoid spins " + n + " " + bits);
        }
        return out;
    }

    /** Prints the vector width, then {@link #sums}: what the child JVM answers. */
    public static void main(String[] args) {
        System.out.println(Fused.vectorBits());
        sums().forEach(System.out::println);
    }

    @Test
    void sumsHaveTheSameBitsWithFourLanes() throws IOException, InterruptedException {
        assumeTrue(Fused.vectorBits() > 128, "this JVM's vectors are no wider than the child's (on x86 they are)");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-XX:MaxVectorSize=16", "--add-modules=jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), FusedWidthTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> child = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor(), "the child JVM failed: " + child);
        assertEquals("128", child.get(0), "the child's vectors");
        assertEquals(sums(), child.subList(1, child.size()));
    }
}
