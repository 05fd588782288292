package org.engram.jobs.rapid;

/**
 * {@code rapid.bars} — RAPID paper, Sec. V A, Figs. 2–4: the 4 × 4 Bars (10 training images, 4 test, the authors'
 * split, both closed under negation), V = 16, RAPID vs CD-k vs PCD-k vs the exact gradient.
 */
public final class RapidBarsJob extends RapidTrainingJob {
    public RapidBarsJob() {
        super("rapid.bars", "RAPID Figs. 2–4: 4×4 Bars, RAPID vs CD-10 vs PCD-10 vs exact gradient — reconstruction "
                + "Hamming distance, Gibbs and method accessibility, SVD of W",
                Dataset.BARS4);
    }
}
