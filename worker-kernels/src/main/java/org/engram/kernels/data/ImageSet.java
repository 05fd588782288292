package org.engram.kernels.data;

import java.util.Arrays;

/**
 * Labelled grey-level images (pixels 0…255, row-major, one image after another), as in MNIST.
 *
 * @param pixels count × rows × cols bytes (unsigned)
 * @param labels count labels in [0, classes)
 */
public record ImageSet(String name, byte[] pixels, byte[] labels, int count, int rows, int cols, int classes) {
    public ImageSet {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException(name + ": " + count + " images of " + rows + "×" + cols + " need "
                    + (long) count * rows * cols + " pixels, found " + pixels.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(name + ": " + count + " images but " + labels.length + " labels");
        }
        for (byte l : labels) {
            if ((l & 0xff) >= classes) {
                throw new IllegalArgumentException(name + ": label " + (l & 0xff) + " is not below " + classes);
            }
        }
    }

    /** From an images IDX array (count × rows × cols) and a labels IDX array (count). */
    public static ImageSet of(String name, Idx.Array images, Idx.Array labels, int classes) {
        if (images.dims().length != 3) {
            throw new IllegalArgumentException(name + ": images must be count × rows × cols, found "
                    + Arrays.toString(images.dims()));
        }
        if (labels.dims().length != 1) {
            throw new IllegalArgumentException(name + ": labels must be one-dimensional, found "
                    + Arrays.toString(labels.dims()));
        }
        return new ImageSet(name, images.data(), labels.data(), images.dims()[0], images.dims()[1], images.dims()[2],
                classes);
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    public int label(int i) {
        return labels[i] & 0xff;
    }

    public int pixel(int image, int p) {
        return pixels[image * pixelsPerImage() + p] & 0xff;
    }

    /** The images at the given indices, in that order. */
    public ImageSet select(String newName, int[] indices) {
        int d = pixelsPerImage();
        byte[] px = new byte[indices.length * d];
        byte[] lb = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * d, px, k * d, d);
            lb[k] = labels[indices[k]];
        }
        return new ImageSet(newName, px, lb, indices.length, rows, cols, classes);
    }
}
