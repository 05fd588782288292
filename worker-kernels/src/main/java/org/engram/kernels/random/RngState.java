package org.engram.kernels.random;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.SplittableRandom;

/**
 * The exact state of a {@link SplittableRandom} (its seed and gamma), saved and restored, so that a training run
 * continued from a checkpoint draws the very numbers it would have drawn without the stop. The JDK keeps the state
 * private: it is read by reflection, which needs {@code --add-opens java.base/java.util=ALL-UNNAMED} (every Engram JVM
 * has it: {@code deploy/jvm.options}, Spark's executors, the tests).
 */
public final class RngState {
    private static final Field SEED;
    private static final Field GAMMA;
    private static final Constructor<SplittableRandom> MAKE;

    static {
        try {
            SEED = SplittableRandom.class.getDeclaredField("seed");
            GAMMA = SplittableRandom.class.getDeclaredField("gamma");
            MAKE = SplittableRandom.class.getDeclaredConstructor(long.class, long.class);
            SEED.setAccessible(true);
            GAMMA.setAccessible(true);
            MAKE.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("cannot read SplittableRandom's state (run with --add-opens "
                    + "java.base/java.util=ALL-UNNAMED): " + e);
        }
    }

    private RngState() {
    }

    /** {seed, gamma}. */
    public static long[] save(SplittableRandom rng) {
        try {
            return new long[] {SEED.getLong(rng), GAMMA.getLong(rng)};
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A generator in the saved state: it continues exactly where the saved one was. */
    public static SplittableRandom restore(long[] state) {
        try {
            return MAKE.newInstance(state[0], state[1]);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
