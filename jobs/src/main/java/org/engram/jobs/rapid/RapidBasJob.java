package org.engram.jobs.rapid;

/**
 * {@code rapid.bas} — RAPID paper, Sec. V B, Fig. 5: n × n bars and stripes (2(2ⁿ − 2) images, 8,188 at n = 12),
 * one random train/test split per sweep (its seed derives from the sweep, so every instance and method sees the
 * same split), V = n².
 */
public final class RapidBasJob extends RapidTrainingJob {
    public RapidBasJob() {
        super("rapid.bas", "RAPID Fig. 5: n×n bars and stripes (8,188 images at n = 12, 80/20 split) — reconstruction "
                + "Hamming distance on training and test images",
                Dataset.BAS);
    }
}
