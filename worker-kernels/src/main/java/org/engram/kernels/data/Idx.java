package org.engram.kernels.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a big-endian header — two zero bytes,
 * a type code (0x08 = unsigned byte, the only one these datasets use), the number of dimensions —
 * then one 32-bit size per dimension and the values. Gzip-compressed files are recognised by their
 * magic bytes and read transparently. A file that is truncated, too long, of another type or with a
 * malformed header is rejected with a message saying which.
 */
public final class Idx {
    /** Type code of unsigned bytes. */
    public static final int UBYTE = 0x08;
    /** Largest array accepted (2^31 − 8 values). */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8L;

    private Idx() {
    }

    /** An IDX array of unsigned bytes: its dimensions and values in row-major order. */
    public record Array(int[] dims, byte[] data) {
        public long size() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Array a && Arrays.equals(a.dims, dims) && Arrays.equals(a.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "IDX " + Arrays.toString(dims);
        }
    }

    /**
     * Reads one IDX array (raw or gzip). {@code what} names the source in error messages.
     *
     * @throws IOException when the stream is not a well-formed unsigned-byte IDX file
     */
    public static Array read(InputStream raw, String what) throws IOException {
        try {
            return readUnchecked(raw, what);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(what + ": ")) {
                throw e;
            }
            // e.g. a gzip stream cut short: name the file and the reason
            throw new IOException(what + ": corrupt or truncated (" + e + ")", e);
        }
    }

    private static Array readUnchecked(InputStream raw, String what) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(buffered), 1 << 16) : buffered;
        DataInputStream data = new DataInputStream(in);
        int magic;
        try {
            magic = data.readInt();
        } catch (EOFException e) {
            throw new IOException(what + ": empty or truncated IDX header");
        }
        if ((magic >>> 16) != 0) {
            throw new IOException(what + ": not an IDX file (magic " + String.format("0x%08x", magic) + ")");
        }
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        if (type != UBYTE) {
            throw new IOException(what + ": IDX type 0x" + Integer.toHexString(type) + " is not supported (only unsigned bytes)");
        }
        if (rank < 1 || rank > 4) {
            throw new IOException(what + ": IDX rank " + rank + " is not in [1, 4]");
        }
        int[] dims = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            try {
                dims[i] = data.readInt();
            } catch (EOFException e) {
                throw new IOException(what + ": truncated IDX header");
            }
            if (dims[i] <= 0) {
                throw new IOException(what + ": IDX dimension " + i + " is " + dims[i]);
            }
            size *= dims[i];
            if (size > MAX_VALUES) {
                throw new IOException(what + ": IDX array of " + Arrays.toString(dims) + " is too large");
            }
        }
        byte[] values = new byte[(int) size];
        int off = 0;
        while (off < values.length) {
            int r = data.read(values, off, values.length - off);
            if (r < 0) {
                throw new IOException(what + ": truncated: header " + Arrays.toString(dims) + " promises " + size
                        + " values, found " + off);
            }
            off += r;
        }
        if (data.read() >= 0) {
            throw new IOException(what + ": longer than its header " + Arrays.toString(dims) + " says");
        }
        return new Array(dims, values);
    }

    /** Writes an unsigned-byte IDX array (uncompressed). out: not closed. */
    public static void write(OutputStream out, Array a) throws IOException {
        if (a.size() != a.data().length) {
            throw new IllegalArgumentException("dims " + Arrays.toString(a.dims()) + " hold " + a.size()
                    + " values, data has " + a.data().length);
        }
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt((UBYTE << 8) | a.dims().length);
        for (int x : a.dims()) {
            d.writeInt(x);
        }
        d.write(a.data());
        d.flush();
    }
}
