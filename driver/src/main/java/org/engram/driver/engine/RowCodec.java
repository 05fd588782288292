package org.engram.driver.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.engram.jobs.config.Cell;
import org.engram.jobs.core.TrialRow;

/**
 * A unit's trial rows in a compact binary form for the ledger: each distinct cell once (index, names, typed values),
 * then per row its table, cell, replicate, seed, status, message and metrics. About ten times faster to read than a
 * Java serialisation of the same rows, which re-reads every class description per entry; values of a type other than
 * the usual (integers, reals, strings, booleans) fall back to Java serialisation, one value at a time.
 */
final class RowCodec {
    private static final byte NULL = 0;
    private static final byte INT = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte STRING = 4;
    private static final byte BOOLEAN = 5;
    private static final byte SERIALIZED = 9;

    private RowCodec() {
    }

    static void write(List<TrialRow> rows, DataOutputStream out) throws IOException {
        Map<String, Integer> cells = new HashMap<>();
        List<Cell> order = new ArrayList<>();
        for (TrialRow r : rows) {
            if (cells.putIfAbsent(r.cell().key(), order.size()) == null) {
                order.add(r.cell());
            }
        }
        out.writeInt(order.size());
        for (Cell c : order) {
            out.writeInt(c.index());
            out.writeInt(c.size());
            for (int i = 0; i < c.size(); i++) {
                out.writeUTF(c.name(i));
                value(c.value(i), out);
            }
        }
        out.writeInt(rows.size());
        for (TrialRow r : rows) {
            out.writeUTF(r.table());
            out.writeInt(cells.get(r.cell().key()));
            out.writeInt(r.replicate());
            out.writeLong(r.seed());
            out.writeBoolean(r.isOk());
            if (!r.isOk()) {
                out.writeUTF(r.message());
            }
            out.writeInt(r.metricCount());
            for (int i = 0; i < r.metricCount(); i++) {
                out.writeDouble(r.metric(i));
            }
        }
    }

    static List<TrialRow> read(DataInputStream in) throws IOException {
        int nCells = in.readInt();
        checkCount(nCells);
        Cell[] cells = new Cell[nCells];
        for (int c = 0; c < nCells; c++) {
            int index = in.readInt();
            int size = in.readInt();
            checkCount(size);
            String[] names = new String[size];
            Object[] values = new Object[size];
            for (int i = 0; i < size; i++) {
                names[i] = in.readUTF();
                values[i] = value(in);
            }
            cells[c] = new Cell(index, names, values);
        }
        int nRows = in.readInt();
        checkCount(nRows);
        List<TrialRow> rows = new ArrayList<>(nRows);
        for (int r = 0; r < nRows; r++) {
            String table = in.readUTF();
            int cell = in.readInt();
            if (cell < 0 || cell >= nCells) {
                throw new IOException("ledger entry names cell " + cell + " of " + nCells);
            }
            int replicate = in.readInt();
            long seed = in.readLong();
            boolean ok = in.readBoolean();
            String message = ok ? null : in.readUTF();
            int m = in.readInt();
            checkCount(m);
            double[] metrics = new double[m];
            for (int i = 0; i < m; i++) {
                metrics[i] = in.readDouble();
            }
            rows.add(ok ? TrialRow.ok(table, cells[cell], replicate, seed, metrics)
                    : TrialRow.failed(table, cells[cell], replicate, seed, message));
        }
        return rows;
    }

    private static void checkCount(int n) throws IOException {
        if (n < 0 || n > 10_000_000) {
            throw new IOException("ledger entry holds an impossible count " + n);
        }
    }

    private static void value(Object v, DataOutputStream out) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            out.writeUTF(s);
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
                o.writeObject(v);
            }
            out.writeByte(SERIALIZED);
            out.writeInt(bytes.size());
            bytes.writeTo(out);
        }
    }

    private static Object value(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case INT:
                return in.readInt();
            case LONG:
                return in.readLong();
            case DOUBLE:
                return in.readDouble();
            case STRING:
                return in.readUTF();
            case BOOLEAN:
                return in.readBoolean();
            case SERIALIZED:
                int n = in.readInt();
                checkCount(n);
                byte[] b = new byte[n];
                in.readFully(b);
                try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(b))) {
                    return o.readObject();
                } catch (ClassNotFoundException e) {
                    throw new IOException("ledger entry holds a value of an unknown class", e);
                }
            default:
                throw new IOException("ledger entry holds an unknown value tag " + tag);
        }
    }
}
