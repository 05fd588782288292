package org.engram.export;

import org.engram.export.fs.HadoopFiles;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * CSV export (RFC 4180, header row, '\n' line ends). Doubles print in Java's shortest round-trip
 * form and NaN as {@code NaN}, which pandas, R and Julia read back as missing: the same table gives
 * the same bytes on every machine.
 */
public final class CsvTables {
    private CsvTables() {
    }

    public static String render(TidyTable t) {
        StringWriter w = new StringWriter();
        CSVFormat fmt = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();
        try (CSVPrinter p = new CSVPrinter(w, fmt)) {
            p.printRecord(t.columns().stream().map(TidyTable.Column::name).toList());
            for (List<Object> row : t.rows()) {
                Object[] out = new Object[row.size()];
                for (int i = 0; i < row.size(); i++) {
                    out[i] = format(row.get(i));
                }
                p.printRecord(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return Double.toString(d);
        }
        return v.toString();
    }

    public static void write(TidyTable t, Path target, Configuration conf) {
        HadoopFiles.write(target, conf, render(t));
    }
}
