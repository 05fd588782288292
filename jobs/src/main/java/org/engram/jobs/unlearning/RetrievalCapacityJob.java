package org.engram.jobs.unlearning;

import static org.engram.jobs.config.Setting.Vary.MAY;
import static org.engram.jobs.config.Setting.Vary.MUST;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Common;
import org.engram.jobs.config.Operational;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Setting;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Column;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Metric;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.ReplicateRange;
import org.engram.jobs.core.Setup;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Tables;
import org.engram.jobs.core.Trial;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.Trials;
import org.engram.jobs.core.UnitContext;
import org.engram.jobs.core.WorkUnit;
import org.engram.kernels.hopfield.Couplings;
import org.engram.kernels.hopfield.Hopfield;
import org.engram.kernels.hopfield.Patterns;
import org.engram.kernels.hopfield.TanhMoments;
import org.engram.kernels.hopfield.Unlearning;

/**
 * {@code unlearning.capacity} — unlearning paper, Sec. III and Fig. 2: zero-temperature retrieval of P = αN random
 * ±1 patterns, from the pattern itself and from a copy with a fraction of its bits flipped, under four coupling
 * rules: Hebb (eq. 2), dreamt (eq. 10 repeated), active-renormalised (eq. 13 repeated) and classic Hebbian
 * unlearning (eq. 3, the protocol of Benedetti et al. 2022), the last followed along the number of
 * dreams. The patterns of a (N, α, system) are the same for every rule (paired comparison).
 *
 * <p>The points the paper leaves open are keys (docs/results/unlearning.md, "Fig. 2's readings"):
 * {@code diagonal} whether eq. 2's diagonal J_ii = α is kept (as printed, the default) or zeroed, for the Hebb,
 * dreamt and active couplings (classic unlearning is Benedetti et al.'s protocol, J_ii = 0 always);
 * {@code dream-rate-is} whether "10⁴ dreams with εt = 10⁻⁵" means 10⁻⁵ per dream (total λ² = 0.1, the default) or in
 * total; {@code fprime-at} how the tanh factors of eqs. 10 and 13 are evaluated — {@code continuous} (the default:
 * Sec. III's continuous spins with "the tanh activation function in all cases", every factor averaged over the
 * dream's random state σ*_i ~ N(0, {@code dream-state-sd}²): eq. 10's ⟨f²⟩⟨f′⟩², eq. 13's ⟨f′²⟩, which differ),
 * {@code spins} (tanh′ at ±1 spins, the factor sech⁴1 in both eqs., so the two rules give the same couplings) or
 * {@code origin} (f′ = 1, eq. 9 exactly, again the same couplings).
 */
public final class RetrievalCapacityJob implements Job<RetrievalCapacityJob.Settings> {
    static final TableSpec RETRIEVAL = new TableSpec("retrieval", List.of("overlap_clean", "overlap_corrupted",
            "retrieved_clean", "retrieved_corrupted", "stable_fraction", "mean_stability", "min_stability",
            "dream_time", "d_in", "d_fin"), Set.of("dream_time", "d_in", "d_fin"),
            "one row per (cell, system): overlap_clean / overlap_corrupted = the mean over tested patterns of the final "
            + "overlap (1/N) σ·ξ after zero-temperature dynamics from the pattern / from the pattern with "
            + "params.flip-fraction of its bits flipped; retrieved_* = the fraction of tested patterns whose final overlap "
            + "is ≥ params.retrieved-overlap; stable_fraction, mean_stability, min_stability = over all pattern bits of "
            + "Δ_i^μ = ξ_i^μ h_i^μ / ‖J_i‖ (stable when > 0). For rule = unlearning all of these are at the dream count "
            + "with the best overlap_corrupted, dream_time = that count × ε/N, d_in = the first checkpoint (in Dε/N) "
            + "at which every pattern bit is stable, d_fin = the first checkpoint after d_in at which one is not (NaN "
            + "when not reached); NaN for the other rules");
    static final Metric RETRIEVAL_OVERLAP_CLEAN = RETRIEVAL.metric("overlap_clean");
    static final Metric RETRIEVAL_OVERLAP_CORRUPTED = RETRIEVAL.metric("overlap_corrupted");
    static final Metric RETRIEVED_CLEAN = RETRIEVAL.metric("retrieved_clean");
    static final Metric RETRIEVED_CORRUPTED = RETRIEVAL.metric("retrieved_corrupted");
    static final Metric RETRIEVAL_STABLE_FRACTION = RETRIEVAL.metric("stable_fraction");
    static final Metric RETRIEVAL_MEAN_STABILITY = RETRIEVAL.metric("mean_stability");
    static final Metric RETRIEVAL_MIN_STABILITY = RETRIEVAL.metric("min_stability");
    static final Metric DREAM_TIME = RETRIEVAL.metric("dream_time");
    static final Metric D_IN = RETRIEVAL.metric("d_in");
    static final Metric D_FIN = RETRIEVAL.metric("d_fin");
    static final TableSpec CURVE = new TableSpec("unlearning_curve", List.of("overlap_clean", "overlap_corrupted",
            "stable_fraction", "mean_stability", "min_stability"), Set.of(),
            "rule = unlearning only: one row per (cell, system, dream_time = dreams × ε/N checkpoint), the measures of "
            + "the retrieval table under the couplings after that many dreams");
    static final Metric CURVE_OVERLAP_CLEAN = CURVE.metric("overlap_clean");
    static final Metric CURVE_OVERLAP_CORRUPTED = CURVE.metric("overlap_corrupted");
    static final Metric CURVE_STABLE_FRACTION = CURVE.metric("stable_fraction");
    static final Metric CURVE_MEAN_STABILITY = CURVE.metric("mean_stability");
    static final Metric CURVE_MIN_STABILITY = CURVE.metric("min_stability");

    /** How the couplings are made. */
    public enum Rule {
        /** Eq. 2. */
        HEBB,
        /** Eq. 10 repeated: J ← J − ε f′(σ_i)f′(σ_j) Σ_p J_ip J_jp. */
        DREAMT,
        /** Eq. 13 repeated: J ← J − (τT_a/T_eff) Σ_p J_ip J_jp |f′(σ_p)|². */
        ACTIVE,
        /** Eq. 3: relax a random state, J −= (ε/N) σ*σ*ᵀ. */
        UNLEARNING
    }

    /** Whether the dreaming rate is per dream or the total over all dreams. */
    public enum RateIs {
        PER_DREAM, TOTAL
    }

    /** Where f′ = tanh′ is evaluated in eqs. 10 and 13. */
    public enum FprimeAt {
        /**
         * Continuous spins σ*_i ~ N(0, sd²) i.i.d. (Sec. III), each factor its average: eq. 10's
         * ⟨f(σ_p) f(σ_q)⟩ f′(σ_i) f′(σ_j) → ⟨tanh²⟩ δ_pq ⟨sech²⟩², eq. 13's |f′(σ_p)|² → ⟨sech⁴⟩.
         */
        CONTINUOUS,
        /** At the ±1 spins: f′ = sech²(1), the factor sech⁴(1) ≈ 0.176 in both eqs. (A33's ⟨f_p f_q⟩ = δ_pq). */
        SPINS,
        /** At 0: f′ = 1 (eq. 9 / A37 exactly). */
        ORIGIN
    }

    /** Eq. 2's diagonal. */
    public enum Diagonal {
        /** J_ii = P/N, as eq. 2 is printed (no i ≠ j). */
        KEEP,
        /** J_ii = 0, the usual Hopfield convention. */
        ZERO
    }

    /** The grid, the replicates, retrieval and the coupling rules' settings. */
    public record Settings(
            @Setting(doc = "coupling rule: hebb, dreamt, active, unlearning", grid = MAY) Rule rule,
            @Common.Spins @Setting(grid = MAY) int n,
            @Setting(doc = "εt (eq. 10) = τT_a/T_eff (eq. 13)", min = 0, max = 1, above = true,
                    requirement = "must be > 0", grid = MAY) double dreamRate,
            @Common.Loading @Setting(grid = MUST) double alpha,
            @Setting(doc = "independent pattern sets", min = 1, max = 1_000_000, replicates = true) int systems,
            @Setting(key = "flip-fraction", doc = "fraction of a pattern's bits flipped for the corrupted start",
                    min = 0, max = 0.5) double flip,
            @Setting(doc = "zero-temperature update order of retrieval: random, sequential or synchronous")
            Hopfield.Order order,
            @Setting(doc = "sweeps after which a relaxation stops unconverged", min = 1, max = 1_000_000)
            int maxSweeps,
            @Setting(key = "tested-patterns", doc = "patterns whose retrieval is measured (the first ones; 0: all P)",
                    min = 0, max = 1_000_000) int tested,
            @Setting(key = "retrieved-overlap", doc = "a retrieval succeeds when its final overlap is at least this",
                    min = 0, max = 1) double retrieved,
            @Setting(doc = "number of repetitions of eq. 10 / eq. 13", min = 1, max = 1_000_000_000L) long dreams,
            @Setting(key = "dream-rate-is", doc = "per-dream: every repetition uses dream-rate (total λ² = dreams × "
                    + "rate); total: dream-rate / dreams each") RateIs rateIs,
            @Setting(doc = "how the tanh factors of eqs. 10 and 13 are evaluated: continuous (averages over a random "
                    + "continuous state: eq. 10 ⟨tanh²⟩⟨sech²⟩², eq. 13 ⟨sech⁴⟩), spins (tanh′ at ±1: sech⁴1 in both) or "
                    + "origin (f′ = 1 in both)", grid = MAY) FprimeAt fprimeAt,
            @Setting(key = "dream-state-sd", doc = "fprime-at = continuous: the dream's random state σ*_i ~ N(0, sd²)",
                    min = 0, max = 100, above = true, requirement = "must be > 0", grid = MAY) double stateSd,
            @Setting(doc = "eq. 2's diagonal J_ii = α for hebb, dreamt and active: keep (as printed) or zero (classic "
                    + "unlearning always zeroes it, as Benedetti et al. do)", grid = MAY) Diagonal diagonal,
            @Setting(key = "unlearning-rate", doc = "ε of classic unlearning (J −= (ε/N) σ*σ*ᵀ per dream)", min = 0,
                    max = 10, above = true, requirement = "must be > 0") double eps,
            @Setting(doc = "classic unlearning runs to D = dream-time × N/ε dreams", min = 0, max = 1000, above = true,
                    requirement = "must be > 0") double dreamTime,
            @Setting(key = "checkpoint-every", doc = "measure every this much Dε/N", min = 0, max = 1000, above = true,
                    requirement = "must be > 0") double checkpoint,
            @Setting(key = "literature-alpha-c", doc = "the capacity the literature reports for classic unlearning "
                    + "(Benedetti et al. 2022), for the table", min = 0, max = 1) double literature,
            @Setting(doc = "systems of a cell per work unit", min = 1, max = 1_000_000)
            @Operational("chunking of systems into units") int systemsPerUnit) implements java.io.Serializable {
        /** The per-repetition rate of eqs. 10 and 13 for a cell's dream-rate. */
        double stepRate(double rate) {
            return rateIs == RateIs.PER_DREAM ? rate : rate / dreams;
        }

        /** The tanh factor of eq. 10 (rule dreamt) or eq. 13 (rule active) under this reading. */
        double factor() {
            double sech2 = 1 / Math.pow(Math.cosh(1), 2);
            return switch (fprimeAt) {
                case SPINS -> sech2 * sech2;
                case ORIGIN -> 1;
                case CONTINUOUS -> rule == Rule.ACTIVE ? TanhMoments.gaussian(stateSd).activeFactor()
                        : TanhMoments.gaussian(stateSd).dreamtFactor();
            };
        }
    }

    @Override
    public String id() {
        return "unlearning.capacity";
    }

    @Override
    public String description() {
        return "Unlearning paper Fig. 2: zero-T retrieval vs α for Hebb, dreamt (eq. 10), active (eq. 13) and classic "
                + "unlearning (eq. 3) couplings";
    }

    @Override
    public void check(Setup<Settings> setup, Problems problems) {
        for (Cell c : setup.cells()) {
            Hopfields.checkLoading(setup.conf(), c, setup.at(c).n(), setup.at(c).alpha(), problems);
        }
    }

    @Override
    public Plan<Settings> plan(Setup<Settings> setup) {
        Settings s = setup.settings();
        List<WorkUnit> units = ReplicateRange.chunked(setup.cells(), s.systems(), s.systemsPerUnit(),
                (c, from, to) -> new Unit(setup.sweep(), c, from, to, setup.at(c).rule(), setup.at(c).n(),
                        setup.at(c)));
        return new Plan<>(setup, s.systems(), List.of(RETRIEVAL, CURVE), units, "spin-coupling operations (≈ N² × "
                + "relaxations, + N² × dreams)");
    }

    /** Systems [from, to) of one cell. */
    record Unit(SweepIdentity sweep, Cell cell, int from, int to, Rule rule, int n, Settings settings)
            implements ReplicateRange {
        @Override
        public TableSpec table() {
            return RETRIEVAL;
        }

        @Override
        public String seedStream() {
            return "dynamics";
        }

        int patterns() {
            return Hopfields.patterns(settings.alpha(), n);
        }

        int tested() {
            return settings.tested() == 0 ? patterns() : Math.min(settings.tested(), patterns());
        }

        long unlearningDreams() {
            return (long) Math.ceil(settings.dreamTime() * n / settings.eps());
        }

        @Override
        public double cost() {
            double nn = (double) n * n;
            double retrieval = 2.0 * tested() * nn * 3;
            double per = rule == Rule.UNLEARNING
                    ? unlearningDreams() * nn * 3 + retrieval * (settings.dreamTime() / settings.checkpoint())
                    : retrieval + nn * patterns();
            return (to - from) * per;
        }

        @Override
        public void run(UnitContext context, Consumer<TrialRow> out) {
            int p = patterns();
            for (Trial t : trialsOwed()) {
                Trials.guard(t, out, o -> {
                    // the patterns of (N, α, system) are shared by every rule: a paired comparison
                    float[] xi = Patterns.random(p, n, new SplittableRandom(sweep.derive(
                            "n=" + n + ",alpha=" + Cell.format(settings.alpha()), t.replicate(), "patterns")));
                    SplittableRandom rng = new SplittableRandom(t.seed());
                    if (rule == Rule.UNLEARNING) {
                        unlearn(t, xi, p, rng, o);
                        return;
                    }
                    boolean keep = settings.diagonal() == Diagonal.KEEP;
                    float[] j = switch (rule) {
                        case HEBB -> Couplings.hebb(xi, p, n, keep);
                        case DREAMT, ACTIVE -> Couplings.spectral(xi, p, n,
                                Couplings.iterated(settings.stepRate(settings.dreamRate()),
                                        settings.dreams(), settings.factor()), keep);
                        default -> throw new IllegalStateException(rule.toString());
                    };
                    Measures m = measure(new Hopfield(j, n), xi, p, rng);
                    o.accept(m.row(cell, t).ok()); // dream_time, d_in, d_fin: NaN, classic unlearning's only
                });
            }
        }

        /** Classic unlearning followed along the dreams; the retrieval row at the best checkpoint. */
        private void unlearn(Trial t, float[] xi, int p, SplittableRandom rng, Consumer<TrialRow> o) {
            Hopfield net = new Hopfield(Couplings.hebb(xi, p, n), n);
            Unlearning u = new Unlearning(net, settings.eps(), settings.maxSweeps());
            long total = unlearningDreams();
            long every = Math.max(1, Math.round(settings.checkpoint() * n / settings.eps()));
            Measures best = null;
            double bestTime = Double.NaN;
            double dIn = Double.NaN;
            double dFin = Double.NaN;
            for (long d = 0; d <= total; d += every) {
                while (u.dreams() < d) {
                    u.dream(rng);
                }
                double time = d * settings.eps() / n;
                Measures m = measure(net, xi, p, rng);
                o.accept(CURVE.row(Trials.extend(cell, "dream_time", time), t.replicate(), t.seed())
                        .set(CURVE_OVERLAP_CLEAN, m.clean)
                        .set(CURVE_OVERLAP_CORRUPTED, m.corrupted)
                        .set(CURVE_STABLE_FRACTION, m.stability.stableFraction())
                        .set(CURVE_MEAN_STABILITY, m.stability.mean())
                        .set(CURVE_MIN_STABILITY, m.stability.min())
                        .ok());
                if (best == null || m.corrupted > best.corrupted) {
                    best = m;
                    bestTime = time;
                }
                boolean allStable = m.stability.stableFraction() == 1.0;
                if (Double.isNaN(dIn) && allStable) {
                    dIn = time;
                } else if (!Double.isNaN(dIn) && Double.isNaN(dFin) && !allStable) {
                    dFin = time;
                }
            }
            o.accept(best.row(cell, t)
                    .set(DREAM_TIME, bestTime)
                    .set(D_IN, dIn)
                    .set(D_FIN, dFin)
                    .ok());
        }

        private record Measures(double clean, double corrupted, double retrievedClean, double retrievedCorrupted,
                                Unlearning.Stability stability) {
            /** The retrieval row of a trial with these measures (the unlearning columns left to the caller). */
            TableSpec.Row row(Cell cell, Trial t) {
                return RETRIEVAL.row(cell, t.replicate(), t.seed())
                        .set(RETRIEVAL_OVERLAP_CLEAN, clean)
                        .set(RETRIEVAL_OVERLAP_CORRUPTED, corrupted)
                        .set(RETRIEVED_CLEAN, retrievedClean)
                        .set(RETRIEVED_CORRUPTED, retrievedCorrupted)
                        .set(RETRIEVAL_STABLE_FRACTION, stability.stableFraction())
                        .set(RETRIEVAL_MEAN_STABILITY, stability.mean())
                        .set(RETRIEVAL_MIN_STABILITY, stability.min());
            }
        }

        private Measures measure(Hopfield net, float[] xi, int p, SplittableRandom rng) {
            int tested = tested();
            double clean = 0;
            double corrupted = 0;
            int okClean = 0;
            int okCorrupted = 0;
            for (int mu = 0; mu < tested; mu++) {
                double a = net.retrieve(xi, mu, 0, settings.order(), settings.maxSweeps(), rng);
                double b = net.retrieve(xi, mu, settings.flip(), settings.order(), settings.maxSweeps(), rng);
                clean += a;
                corrupted += b;
                okClean += a >= settings.retrieved() ? 1 : 0;
                okCorrupted += b >= settings.retrieved() ? 1 : 0;
            }
            return new Measures(clean / tested, corrupted / tested, (double) okClean / tested,
                    (double) okCorrupted / tested, Unlearning.stability(net, xi, p));
        }
    }

    @Override
    public Derived derive(Plan<Settings> plan, List<Aggregate> aggregates) {
        Settings s = plan.settings();
        Column clean = Tables.metric(aggregates, RETRIEVAL_OVERLAP_CLEAN);
        Column corrupted = Tables.metric(aggregates, RETRIEVAL_OVERLAP_CORRUPTED);
        Column time = Tables.metric(aggregates, DREAM_TIME);
        // group cells by (rule, N): one curve each, α sorted
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            groups.computeIfAbsent(c.without("alpha").key(), k -> new ArrayList<>()).add(c);
        }
        List<List<Object>> rows = new ArrayList<>();
        List<Figure.Series> series = new ArrayList<>();
        for (Map.Entry<String, List<Cell>> g : groups.entrySet()) {
            List<Cell> cs = new ArrayList<>(g.getValue());
            cs.sort((a, b) -> Double.compare(plan.at(a).alpha(), plan.at(b).alpha()));
            double[] alphas = cs.stream().mapToDouble(c -> plan.at(c).alpha()).toArray();
            double[][] curves = new double[2][];
            double[] limit = new double[2];
            int k = 0;
            String who = Tables.label(cs.get(0), plan.cells(), "alpha"); // what differs: 'rule hebb, n 300'
            // the corrupted start solid, the clean start dashed in its colour after it
            for (Column metric : List.of(corrupted, clean)) {
                double[] y = new double[cs.size()];
                double[] lo = new double[cs.size()];
                double[] hi = new double[cs.size()];
                for (int i = 0; i < cs.size(); i++) {
                    Aggregate a = metric.get(cs.get(i));
                    y[i] = Tables.mean(a);
                    // an overlap is a mean over patterns, not a 0/1 outcome: Student's t even when every system
                    // gives exactly 1 (Wilson's interval, which the aggregated table uses then, would draw [0.72, 1])
                    double h = a == null ? Double.NaN : a.moments().ci95HalfWidth();
                    lo[i] = Math.max(-1, y[i] - h);
                    hi[i] = Math.min(1, y[i] + h);
                }
                curves[k] = y;
                limit[k] = Hopfields.lastAbove(alphas, y, s.retrieved());
                String label = (who.isEmpty() ? "" : who + ", ") + (k == 1 ? "from the pattern"
                        : "from " + Math.round(100 * s.flip()) + "% flipped");
                series.add(new Figure.Series(label, alphas, y, lo, hi, k == 1, false)); // measured, dashed
                k++;
            }
            Cell first = cs.get(0);
            Rule rule = plan.at(first).rule();
            double bestTime = Double.NaN;
            if (rule == Rule.UNLEARNING) {
                // the mean best dream time at the largest α that still retrieves from the corrupted pattern
                for (int i = 0; i < cs.size(); i++) {
                    if (alphas[i] == limit[0]) {
                        bestTime = Tables.mean(time.get(cs.get(i)));
                    }
                }
            }
            double reference = rule == Rule.HEBB ? org.engram.kernels.hopfield.Ags.alphaC()
                    : rule == Rule.UNLEARNING ? s.literature() : Double.NaN;
            rows.add(Tables.row(g.getKey(), limit[1], limit[0], bestTime, reference, (long) cs.size()));
        }
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure.Curves("fig2_overlap_vs_alpha", "Final overlap after zero-T retrieval vs α (mean, 95% "
                + "CI over systems; dashed: from the pattern itself)", "load α = P/N", false, "final overlap m", false, series));
        List<Figure.Series> dreams = Hopfields.lastCoordinateSeries(Tables.metric(aggregates, CURVE_OVERLAP_CORRUPTED), "");
        if (!dreams.isEmpty()) {
            figures.add(new Figure.Curves("unlearning_overlap_vs_dreams", "Classic unlearning: overlap from "
                    + Math.round(100 * s.flip()) + "% flipped bits vs Dε/N (mean, 95% CI over systems)", "Dε/N", false,
                    "final overlap m", false, dreams));
            figures.add(new Figure.Curves("unlearning_stable_fraction_vs_dreams", "Classic unlearning: fraction of "
                    + "stable pattern bits (Δ > 0) vs Dε/N", "Dε/N", false, "fraction of stable bits (Δ > 0)", false,
                    Hopfields.lastCoordinateSeries(Tables.metric(aggregates, CURVE_STABLE_FRACTION), "")));
        }
        return new Derived(List.of(new Derived.DerivedTable("capacity", "one row per (rule, N): alpha_clean / "
                + "alpha_corrupted = the largest grid α at which (and at every smaller grid α) the mean final overlap "
                + "from the pattern / from the corrupted pattern is ≥ params.retrieved-overlap (NaN when the smallest α "
                + "fails); best_dream_time = for unlearning, the mean Dε/N of the best retrieval at alpha_corrupted; "
                + "reference = AGS α_c(T = 0) for Hebb, params.literature-alpha-c for unlearning",
                List.of("rule_and_n", "alpha_clean", "alpha_corrupted", "best_dream_time", "reference", "cells"), rows)),
                figures);
    }
}
