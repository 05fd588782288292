package org.engram.jobs.core;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.ClassReader;

/**
 * The code version of a job's ledger entries, computed rather than listed: SHA-256 over the bytecode of
 * every Engram class the job's work units can reach — what computes a ledger entry's rows. The units are
 * found among the classes the job itself reaches; what only the job reaches (its planning, when the
 * units do not call it, and its derived tables and figures, made on the driver from the aggregates)
 * is left out, so redrawing a figure replays the units. Reachability is read from the class files' constant pools (with
 * ASM): every class, field or method type, generic signature and string constant that names an
 * {@code org.engram} class adds that class, transitively — nested, anonymous and lambda-hosting classes
 * included (they appear in their outer class's pool), and every method of a reached class counts whether
 * or not it is called. That over-approximates what a unit can execute (it misses only classes loaded by a
 * name built at run time, which Engram's jobs do not do), and leaves out what a job cannot reach: the CLI
 * and Spark code in {@code driver}, another family's jobs, plotting in {@code notebooks-export}.
 *
 * <p>Changing a byte of any reached class — a kernel, the hold-out split in {@code jobs.data}, a job's
 * nested settings record — changes the version and so recomputes that job's units; changing a class the
 * units cannot reach replays them. What a unit is given (its cell, seed and settings) is in its
 * fingerprint, so planning code that changes them changes the key without being hashed here. The
 * granularity is a class: a unit nested in a class reaches all of it (its nest host), so a family keeps
 * its derived tables in a class of their own (the MLCM's {@code MlcmTables}).
 */
public final class CodeVersion {
    /** Classes under this prefix (internal names) are Engram's own; the JDK and libraries are not hashed. */
    static final String PREFIX = "org/engram/";
    private static final Pattern INTERNAL = Pattern.compile("org/engram/[A-Za-z0-9_$/]+");
    private static final Pattern DOTTED = Pattern.compile("org\\.engram\\.[A-Za-z0-9_$.]+");
    /** What the class path gives for a job class: read once, since Kryo's registrator asks on every instance. */
    private static final Map<Class<?>, Reached> CACHE = new ConcurrentHashMap<>();

    /** A job's closure as the class path has it: the code version and the unit classes among the reached. */
    private record Reached(String version, List<String> classes, List<String> versioned,
                           List<Class<? extends WorkUnit>> units) {
    }

    private CodeVersion() {
    }

    /** Where bytecode comes from: a class's internal name to its class file, or null when there is none. */
    @FunctionalInterface
    public interface Bytecode {
        byte[] of(String internalName);
    }

    private static Reached reached(Job<?> job) {
        return CACHE.computeIfAbsent(job.getClass(), c -> {
            SortedMap<String, byte[]> closure = reach(List.of(internal(c)), fromClassPath(c.getClassLoader()));
            List<Class<? extends WorkUnit>> units = unitClasses(closure.keySet(), c.getClassLoader());
            SortedMap<String, byte[]> versioned = versioned(closure, units);
            return new Reached(version(job, versioned), List.copyOf(closure.keySet()),
                    List.copyOf(versioned.keySet()), units);
        });
    }

    /**
     * What the version hashes: the closure of the unit classes (the job's own closure if it has none) — a part of
     * the job's closure, so read from its bytes rather than the class path again.
     */
    private static SortedMap<String, byte[]> versioned(SortedMap<String, byte[]> closure,
                                                       List<Class<? extends WorkUnit>> units) {
        return units.isEmpty() ? closure : reach(units.stream().map(CodeVersion::internal).toList(), closure::get);
    }

    /** The code version of a job, from the class path it was loaded from (cached per job class). */
    public static String of(Job<?> job) {
        return reached(job).version();
    }

    /** The code version of a job with bytecode from {@code code} (tests alter a class's bytes through it). */
    public static String of(Job<?> job, Bytecode code) {
        SortedMap<String, byte[]> closure = reach(List.of(internal(job.getClass())), code);
        return version(job, versioned(closure, unitClasses(closure.keySet(), job.getClass().getClassLoader())));
    }

    private static String version(Job<?> job, SortedMap<String, byte[]> closure) {
        StringBuilder sb = new StringBuilder(job.id());
        closure.forEach((name, bytes) -> sb.append('\n').append(name).append(' ').append(sha256(bytes)));
        return sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The internal names of every Engram class a job reaches, sorted. */
    public static List<String> classes(Job<?> job) {
        return reached(job).classes();
    }

    /** The internal names of the classes the version hashes — those the job's units reach — sorted. */
    public static List<String> versioned(Job<?> job) {
        return reached(job).versioned();
    }

    /**
     * The reached classes that are work units: what Spark ships to executors and Kryo must register — derived,
     * like the version, so a new unit class cannot be forgotten.
     */
    public static List<Class<? extends WorkUnit>> unitClasses(Job<?> job) {
        return reached(job).units();
    }

    private static List<Class<? extends WorkUnit>> unitClasses(Collection<String> names, ClassLoader loader) {
        List<Class<? extends WorkUnit>> out = new ArrayList<>();
        for (String name : names) {
            try {
                Class<?> c = Class.forName(name.replace('/', '.'), false, loader);
                if (WorkUnit.class.isAssignableFrom(c) && !c.isInterface()
                        && !java.lang.reflect.Modifier.isAbstract(c.getModifiers())) {
                    out.add(c.asSubclass(WorkUnit.class));
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // a name that only looked like a class (a string constant): nothing to register
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Bytecode as the class loader sees it. */
    public static Bytecode fromClassPath(ClassLoader loader) {
        return name -> {
            try (InputStream in = loader.getResourceAsStream(name + ".class")) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bytecode of " + name, e);
            }
        };
    }

    /** The closure of {@code roots} under "names in its constant pool", restricted to Engram classes. */
    static SortedMap<String, byte[]> reach(Collection<String> roots, Bytecode code) {
        SortedMap<String, byte[]> seen = new TreeMap<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        for (String r : roots) {
            if (code.of(r) == null) {
                throw new IllegalStateException("cannot read the bytecode of " + r);
            }
        }
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (seen.containsKey(name)) {
                continue;
            }
            byte[] bytes = code.of(name);
            if (bytes == null) {
                continue; // a string that looks like a class name but is none (or a package name)
            }
            seen.put(name, bytes);
            for (String ref : referenced(bytes)) {
                if (!seen.containsKey(ref)) {
                    todo.push(ref);
                }
            }
        }
        return seen;
    }

    /** Every Engram class name in a class file's constant pool (class entries, descriptors, signatures, strings). */
    static List<String> referenced(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        List<String> out = new ArrayList<>();
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i); // one past the entry's tag; 0 for the second slot of a long or double
            if (offset == 0 || classFile[offset - 1] != 1) { // 1 = CONSTANT_Utf8
                continue;
            }
            int length = reader.readUnsignedShort(offset);
            String text;
            try {
                text = new DataInputStream(new ByteArrayInputStream(classFile, offset, length + 2)).readUTF();
            } catch (IOException e) {
                throw new UncheckedIOException("malformed constant pool entry " + i, e);
            }
            if (!text.contains("engram")) {
                continue;
            }
            Matcher m = INTERNAL.matcher(text);
            while (m.find()) {
                out.add(trim(m.group()));
            }
            Matcher d = DOTTED.matcher(text);
            while (d.find()) {
                out.add(trim(d.group()).replace('.', '/'));
            }
        }
        return out;
    }

    private static String trim(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '/' || s.charAt(end - 1) == '.')) {
            end--;
        }
        return s.substring(0, end);
    }

    static String internal(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
