package org.engram.jobs.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import org.engram.kernels.random.RngState;

/**
 * The bytes of a job's checkpointed training state ({@link Checkpoints}): numbers, arrays with their lengths and
 * random generators saved exactly ({@link RngState}), read back in the order they were written. One codec for every
 * job that can be halved, so a state is written and read the same way everywhere.
 */
public final class StateBytes {
    private StateBytes() {
    }

    /** Writes a state; {@link #bytes} when done. */
    public static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        public Writer putInt(int x) {
            return write(() -> out.writeInt(x));
        }

        public Writer putDouble(double x) {
            return write(() -> out.writeDouble(x));
        }

        /** An array and its length; null is written as length −1. */
        public Writer putFloats(float[] a) {
            return write(() -> {
                out.writeInt(a == null ? -1 : a.length);
                for (int i = 0; a != null && i < a.length; i++) {
                    out.writeFloat(a[i]);
                }
            });
        }

        /** An array and its length. */
        public Writer putDoubles(double[] a) {
            return write(() -> {
                out.writeInt(a.length);
                for (double x : a) {
                    out.writeDouble(x);
                }
            });
        }

        /** A generator's exact state: the continuation draws what the uninterrupted run would have drawn. */
        public Writer putRng(SplittableRandom rng) {
            long[] s = RngState.save(rng);
            return write(() -> {
                out.writeLong(s[0]);
                out.writeLong(s[1]);
            });
        }

        public byte[] bytes() {
            write(out::flush);
            return bytes.toByteArray();
        }

        private Writer write(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    /** Reads a state in the order it was written. */
    public static final class Reader {
        private final DataInputStream in;

        public Reader(byte[] bytes) {
            this.in = new DataInputStream(new ByteArrayInputStream(bytes));
        }

        public int getInt() {
            return read(in::readInt);
        }

        public double getDouble() {
            return read(in::readDouble);
        }

        /** An array written by {@link Writer#putFloats} (null for length −1). */
        public float[] getFloats() {
            return read(() -> {
                int n = in.readInt();
                float[] a = n < 0 ? null : new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.readFloat();
                }
                return a;
            });
        }

        public double[] getDoubles() {
            return read(() -> {
                double[] a = new double[in.readInt()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readDouble();
                }
                return a;
            });
        }

        public SplittableRandom getRng() {
            return read(() -> RngState.restore(new long[] {in.readLong(), in.readLong()}));
        }

        private <T> T read(IoSupplier<T> s) {
            try {
                return s.get();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }
}
