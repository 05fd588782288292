package org.engram.kernels.data;

/**
 * Grey levels to binary units. The KH-RBM paper binarises at pixel &gt; 127; the authors' code at
 * pixel ≥ 127 (REFERENCE-NOTES) — both are offered, named by what they do; RAPID at pixel/255 &gt; 0.3.
 */
public enum Binarisation {
    /** 1 when pixel &gt; 127 (the paper's text). */
    ABOVE_127,
    /** 1 when pixel ≥ 127 (the authors' code). */
    FROM_127,
    /** 1 when pixel / 255 &gt; 0.3, i.e. pixel ≥ 77 (the RAPID paper's MNIST). */
    ABOVE_0_3;

    public boolean on(int pixel) {
        return switch (this) {
            case ABOVE_127 -> pixel > 127;
            case FROM_127 -> pixel >= 127;
            case ABOVE_0_3 -> pixel / 255.0 > 0.3;
        };
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
