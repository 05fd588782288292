package org.engram.export;

import org.engram.export.fs.HadoopFiles;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Parquet export: one optional column per table column (INT64, DOUBLE, BOOLEAN or UTF-8 string),
 * Snappy-compressed, readable by pandas/pyarrow, Spark, DuckDB and R arrow. Written to a temporary
 * name and renamed into place.
 */
public final class ParquetTables {
    private ParquetTables() {
    }

    public static MessageType schema(String name, List<TidyTable.Column> columns) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (TidyTable.Column c : columns) {
            switch (c.type()) {
                case LONG -> b.primitive(PrimitiveTypeName.INT64, Repetition.OPTIONAL).named(c.name());
                case DOUBLE -> b.primitive(PrimitiveTypeName.DOUBLE, Repetition.OPTIONAL).named(c.name());
                case BOOLEAN -> b.primitive(PrimitiveTypeName.BOOLEAN, Repetition.OPTIONAL).named(c.name());
                case STRING -> b.primitive(PrimitiveTypeName.BINARY, Repetition.OPTIONAL)
                        .as(LogicalTypeAnnotation.stringType()).named(c.name());
            }
        }
        return b.named(name.replaceAll("[^A-Za-z0-9_]", "_"));
    }

    /** A streaming writer of rows to one Parquet file, committed on {@link #close()}. */
    public static final class Writer implements Closeable {
        private final List<TidyTable.Column> columns;
        private final SimpleGroupFactory factory;
        private final ParquetWriter<Group> writer;
        private final FileSystem fs;
        private final Path tmp;
        private final Path target;

        public Writer(String name, List<TidyTable.Column> columns, Path target, Configuration conf) {
            this(name, columns, target, conf, "");
        }

        /**
         * @param tmpTag distinguishes concurrent writers of the same target (e.g. Spark task attempts):
         *               each writes its own temporary file and the last to finish is renamed into place
         */
        public Writer(String name, List<TidyTable.Column> columns, Path target, Configuration conf, String tmpTag) {
            this.columns = List.copyOf(columns);
            this.target = target;
            this.fs = HadoopFiles.fs(target, conf);
            this.tmp = new Path(target.getParent(), "." + target.getName() + tmpTag + ".tmp");
            MessageType schema = schema(name, columns);
            this.factory = new SimpleGroupFactory(schema);
            try {
                this.writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(tmp, conf))
                        .withType(schema)
                        .withConf(conf)
                        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .build();
            } catch (IOException | org.apache.hadoop.fs.FSError e) {
                throw HadoopFiles.failure("cannot write " + target, e);
            }
        }

        public void write(List<Object> row) {
            Group g = factory.newGroup();
            for (int i = 0; i < columns.size(); i++) {
                Object v = row.get(i);
                if (v == null) {
                    continue;
                }
                String c = columns.get(i).name();
                switch (columns.get(i).type()) {
                    case LONG -> g.append(c, ((Number) v).longValue());
                    case DOUBLE -> g.append(c, ((Number) v).doubleValue());
                    case BOOLEAN -> g.append(c, (Boolean) v);
                    case STRING -> g.append(c, v.toString());
                }
            }
            try {
                writer.write(g);
            } catch (IOException | org.apache.hadoop.fs.FSError e) {
                throw HadoopFiles.failure("cannot write " + target, e);
            }
        }

        @Override
        public void close() {
            try {
                writer.close();
                HadoopFiles.commit(fs, tmp, target);
            } catch (IOException | org.apache.hadoop.fs.FSError e) {
                throw HadoopFiles.failure("cannot write " + target, e);
            }
        }
    }

    public static void write(TidyTable t, Path target, Configuration conf) {
        try (Writer w = new Writer(t.name(), t.columns(), target, conf)) {
            for (List<Object> r : t.rows()) {
                w.write(r);
            }
        }
    }
}
