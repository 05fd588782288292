package org.engram.jobs.sweep;

/**
 * Where a run's results go when the command line does not say ({@code --output}, relative to the working directory as
 * any path typed there): the sweep's {@code sweep.output} when its file or a {@code --set} names one, else the
 * environment's {@code ENGRAM_RESULTS}, else the reference default {@code results}. A relative location is taken
 * against the Engram home (the checkout {@code deploy/engram} runs from: {@code -Dengram.home}, or
 * {@code ENGRAM_HOME}), so {@code engram plan} and {@code engram run} find the same results — and the timing history
 * the estimate needs — from any folder; without a home (a bare {@code spark-submit}) it is the working directory.
 */
public final class ResultsRoot {
    /** The environment variable that moves the default results root. */
    public static final String ENV = "ENGRAM_RESULTS";

    private ResultsRoot() {
    }

    /**
     * The results root for a sweep whose configuration gives {@code configured}; {@code named} when the sweep file or
     * an override set it (the environment then does not move it).
     */
    public static String resolve(String configured, boolean named) {
        String env = System.getenv(ENV);
        String chosen = !named && env != null && !env.isBlank() ? env : configured;
        return org.engram.jobs.config.EngramHome.resolve(chosen);
    }
}
