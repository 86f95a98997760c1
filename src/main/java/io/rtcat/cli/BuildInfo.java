package io.rtcat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What this build is: the pom version, the git commit it was built from, and the webrtc-java / libwebrtc it
 * carries. Read from build.properties, which Maven's resource filtering fills in; a value still reading
 * {@code ${...}} (no .git when it was built, or an IDE build without filtering) counts as unknown.
 */
record BuildInfo(String version, String commit, String webrtcJava, String libwebrtc) {

    static final BuildInfo CURRENT = load();

    static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // unreadable: every field falls back below
        }
        return of(p);
    }

    static BuildInfo of(Properties p) {
        return new BuildInfo(known(p, "version", "dev"), known(p, "commit", null),
                known(p, "webrtc_java", "?"), known(p, "libwebrtc", "?"));
    }

    private static String known(Properties p, String key, String fallback) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() || v.contains("${") ? fallback : v.trim();
    }

    /** {@code 0.2.0 (abc1234, webrtc-java 0.14.0, libwebrtc M138)}: what --version prints after "rtcat ". */
    String describe() {
        return version + " (" + (commit == null ? "commit unknown" : commit) + ", webrtc-java " + webrtcJava + ", libwebrtc " + libwebrtc + ")";
    }
}
