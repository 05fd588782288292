package org.engram.kernels.data;

/**
 * Grey levels to binary units. The KH-RBM paper binarises at pixel &gt; 127; the authors' code at
 * pixel ≥ 127 (REFERENCE-NOTES) — both are offered, named by what they do.
 */
public enum Binarisation {
    /** 1 when pixel &gt; 127 (the paper's text). */
    ABOVE_127,
    /** 1 when pixel ≥ 127 (the authors' code). */
    FROM_127;

    public boolean on(int pixel) {
        return this == ABOVE_127 ? pixel > 127 : pixel >= 127;
    }

    /** 0/1 units, count × pixels row-major. */
    public float[] zeroOne(ImageSet s) {
        float[] out = new float[s.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = on(s.pixels()[i] & 0xff) ? 1f : 0f;
        }
        return out;
    }

    /** ±1 spins, count × pixels row-major. */
    public float[] spins(ImageSet s) {
        float[] out = new float[s.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = on(s.pixels()[i] & 0xff) ? 1f : -1f;
        }
        return out;
    }
}
