package org.engram.jobs.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a component of a job's settings record as a parameter — the one place its meaning and bounds are
 * written. The key is the component's name in dashed lower case ({@code maxSweeps} → {@code max-sweeps}) unless
 * {@link #key} says otherwise; the default value lives in {@code conf/reference.conf} (a test checks that every
 * declared key has one there and that nothing else does). {@link Schema} binds the record from the conf.
 *
 * <p>Parameters several jobs share are declared once in {@link Common} as annotations that carry this one;
 * a component's own {@code @Setting} attributes override the shared ones attribute by attribute.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.ANNOTATION_TYPE})
public @interface Setting {
    /** What it is, for {@code engram params} and error messages. */
    String doc() default "";

    /** Lowest allowed value (numbers; for lists, each element). */
    double min() default Double.NaN;

    /** Highest allowed value. */
    double max() default Double.NaN;

    /** Whether {@link #min} itself is excluded ({@code min = 0, above = true}: must be > 0). */
    boolean above() default false;

    /** Whether {@link #max} itself is excluded. */
    boolean below() default false;

    /** The sentence a value outside the bounds gets, when the generated one ("must be in [0, 2]") is not enough. */
    String requirement() default "";

    /** The conf key, where it is not the component's name in dashed lower case. */
    String key() default "";

    /** The words a String parameter accepts (enum parameters take their constants' words). */
    String[] choices() default {};

    /** Whether a sweep's grid may vary it, or must. */
    Vary grid() default Vary.NO;

    /** Read from the {@code replicates} section rather than {@code params}. */
    boolean replicates() default false;

    /** A record component whose own components are read from this same section (a group several jobs share). */
    boolean inline() default false;

    /** The grid role of a parameter. */
    enum Vary {
        /** A fixed value, from {@code params} (or {@code replicates}). */
        NO,
        /** Fixed in {@code params}, or varied by the grid, whose value then wins for that cell. */
        MAY,
        /** Only a grid dimension, which a sweep may leave out (no fixed value: a label, a control). */
        GRID,
        /** A grid dimension every sweep gives (no fixed value). */
        MUST
    }
}
