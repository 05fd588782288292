package org.engram.jobs.config;

import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Parameters several families share, declared once: a settings component annotated {@code @Common.Epochs int
 * epochs} is the key {@code epochs} with this meaning and these bounds (its own {@link Setting} may add a grid
 * role or a sharper doc). Family-specific parameters are declared on their components.
 */
public final class Common {
    private Common() {
    }

    /** N, the spins of a Hopfield-type network whose N × N couplings are held as one float array. */
    @Setting(doc = "number of spins N", min = 2, max = 46_340)
    @Retention(RUNTIME) @Target(RECORD_COMPONENT)
    public @interface Spins {
    }

    /** α = P/N, the loading of a Hopfield network. */
    @Setting(doc = "loading α = P/N", min = 0, max = 1, above = true)
    @Retention(RUNTIME) @Target(RECORD_COMPONENT)
    public @interface Loading {
    }

    /** Independent training runs per cell. */
    @Setting(doc = "training runs per cell", min = 1, max = 10_000, replicates = true)
    @Retention(RUNTIME) @Target(RECORD_COMPONENT)
    public @interface Seeds {
    }

    /** Training epochs. */
    @Setting(doc = "training epochs", min = 1, max = 1_000_000)
    @Retention(RUNTIME) @Target(RECORD_COMPONENT)
    public @interface Epochs {
    }

    /** Minibatch size. */
    @Setting(doc = "minibatch size", min = 1, max = 1_000_000)
    @Retention(RUNTIME) @Target(RECORD_COMPONENT)
    public @interface Batch {
    }

    /** A gradient step's learning rate. */
    @Setting(doc = "learning rate", min = 0, max = 1e6)
    @Retention(RUNTIME) @Target(RECORD_COMPONENT)
    public @interface LearningRate {
    }

    /** A temperature. */
    @Setting(doc = "temperature T", min = 0, max = 100, above = true)
    @Retention(RUNTIME) @Target(RECORD_COMPONENT)
    public @interface Temperature {
    }

    /** Hidden units of an RBM. */
    @Setting(doc = "hidden units", min = 1, max = 100_000)
    @Retention(RUNTIME) @Target(RECORD_COMPONENT)
    public @interface Hidden {
    }
}
