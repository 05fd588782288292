package org.engram.jobs.config;

import java.util.List;
import java.util.function.DoublePredicate;

/**
 * A grid dimension a job accepts: its name, the kind of its values, the rule each value must obey
 * (with the sentence that explains it), and whether a sweep must give it.
 */
public record Dimension(String name, Kind kind, DoublePredicate rule, String requirement, List<String> choices) {
    /** Value kinds: integers, reals, or one of a set of words. */
    public enum Kind { INTEGER, REAL, CHOICE }

    public static Dimension integer(String name, long min, long max) {
        return new Dimension(name, Kind.INTEGER, x -> x >= min && x <= max,
                "must be an integer in [" + min + ", " + max + "]", List.of());
    }

    public static Dimension real(String name, DoublePredicate rule, String requirement) {
        return new Dimension(name, Kind.REAL, rule, requirement, List.of());
    }

    public static Dimension choice(String name, List<String> choices) {
        return new Dimension(name, Kind.CHOICE, x -> true, "must be one of " + choices, List.copyOf(choices));
    }
}
