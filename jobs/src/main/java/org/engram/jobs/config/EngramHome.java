package org.engram.jobs.config;

/**
 * The Engram home — the checkout {@code deploy/engram} runs from ({@code -Dengram.home}, or {@code ENGRAM_HOME}) —
 * against which the locations a user did not type are taken: the default results root and the default data root.
 * Without a home (a bare {@code spark-submit}) they stay relative to the working directory.
 */
public final class EngramHome {
    private EngramHome() {
    }

    /** The Engram home, or null when none is set. */
    public static String get() {
        String h = System.getProperty("engram.home");
        if (h == null || h.isBlank()) {
            h = System.getenv("ENGRAM_HOME");
        }
        return h == null || h.isBlank() ? null : h;
    }

    /** A relative local path taken under the home; a URI, an absolute path or a missing home leave it as it is. */
    public static String resolve(String path) {
        return resolve(path, get());
    }

    static String resolve(String path, String home) {
        if (home == null || path == null || path.isBlank() || path.startsWith("/")
                || path.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return path;
        }
        return home.replaceAll("/+$", "") + "/" + path;
    }
}
