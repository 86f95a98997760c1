package io.rtcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Layering rules, checked on the source text of src/main/java/io/rtcat. Comments are blanked out (keeping
 * line numbers) so that prose like "see System.exit" does not count; string literals are kept.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ArchitectureTest {

    /**
     * One source file: its package below io.rtcat ("peer", "session.pake", ...) and its comment-free lines.
     * {@link #top()} is the first segment, which the library rules below speak of.
     */
    record Source(Path path, String area, List<String> lines) {
        String where(int index) {
            return ROOT.relativize(path) + ":" + (index + 1) + ": " + lines.get(index).trim();
        }

        String top() {
            int dot = area.indexOf('.');
            return dot < 0 ? area : area.substring(0, dot);
        }
    }

    /** What one package may use: io.rtcat packages (by top segment) and third-party import prefixes. */
    record Allowed(Set<String> rtcat, Set<String> thirdParty) {
    }

    private static Allowed uses(Set<String> rtcat, String... thirdParty) {
        return new Allowed(rtcat, Set.of(thirdParty));
    }

    private static final String JACKSON = "com.fasterxml.jackson.";

    /**
     * The layering, one row per package: every package under io.rtcat must have a row (a new package is a
     * decision to write down here). java.* is always allowed; a package may always use itself.
     */
    static final Map<String, Allowed> LAYERS = Map.ofEntries(
            Map.entry("cli", uses(Set.of("diagnostics", "errors", "json", "loopback", "peer", "session", "signaling",
                    "stats", "stdio", "stripe", "transfer"), JACKSON, "picocli.", "me.tongfei.", "javax.net.")),
            Map.entry("diagnostics", uses(Set.of("errors", "json", "peer", "session", "stats"), JACKSON)),
            Map.entry("errors", uses(Set.of())),
            Map.entry("json", uses(Set.of("errors"), JACKSON)),
            Map.entry("loopback", uses(Set.of("errors", "json", "peer", "session", "stats", "transfer"), JACKSON)),
            Map.entry("peer", uses(Set.of("errors", "stats", "stdio"), "dev.onvoid.webrtc.", "com.sun.jna.")),
            Map.entry("session", uses(Set.of("errors", "json", "peer", "signaling", "stats"), JACKSON,
                    "javax.crypto.")),
            Map.entry("session.lan", uses(Set.of("errors", "json"), JACKSON)),
            Map.entry("session.pake", uses(Set.of("errors"), "org.bouncycastle.", "javax.crypto.")),
            Map.entry("signaling", uses(Set.of("errors", "json"), JACKSON, "org.java_websocket.", "io.lettuce.",
                    "com.sun.net.httpserver.", "javax.crypto.", "javax.net.")),
            Map.entry("stats", uses(Set.of())),
            Map.entry("stdio", uses(Set.of(), "com.sun.jna.")),
            Map.entry("stripe", uses(Set.of("errors", "json", "peer", "stats"), JACKSON)),
            Map.entry("transfer", uses(Set.of("errors", "json", "peer"), JACKSON)));

    static Path ROOT;
    static List<Source> SOURCES;

    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;");

    @BeforeAll
    static void scan() throws IOException {
        ROOT = findSourceRoot();
        Path base = ROOT.resolve("io/rtcat");
        try (Stream<Path> walk = Files.walk(base)) {
            SOURCES = walk.filter(p -> p.toString().endsWith(".java")).sorted().map(p -> {
                Path rel = base.relativize(p);
                Path dir = rel.getParent();
                String area = dir == null ? "" : dir.toString().replace(java.io.File.separatorChar, '.');
                try {
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    return new Source(p, area, stripComments(text).lines().toList());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
    }

    private static Path findSourceRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("src/main/java");
            if (Files.isDirectory(candidate.resolve("io/rtcat"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("src/main/java/io/rtcat not found from " + dir);
    }

    /** Replaces comments by spaces, keeping newlines and string/char literals. */
    static String stripComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (; i < end; i++) {
                    out.append(s.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else if (c == '"' && s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                out.append(s, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                out.append(c);
                i++;
                while (i < n && s.charAt(i) != c && s.charAt(i) != '\n') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        out.append(s.charAt(i++));
                    }
                    out.append(s.charAt(i++));
                }
                if (i < n) {
                    out.append(s.charAt(i++));
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Every line in files outside {@code allowedAreas} that matches {@code bad}. */
    private static List<String> violations(Set<String> allowedAreas, Predicate<String> bad) {
        List<String> found = new ArrayList<>();
        for (Source src : SOURCES) {
            if (allowedAreas.contains(src.top())) {
                continue;
            }
            for (int i = 0; i < src.lines().size(); i++) {
                if (bad.test(src.lines().get(i))) {
                    found.add(src.where(i));
                }
            }
        }
        return found;
    }

    private static Predicate<String> importsOrNames(String pkg) {
        Pattern p = Pattern.compile("(?<![\\w.])" + Pattern.quote(pkg) + "\\.");
        return line -> p.matcher(line).find();
    }

    private static void assertNone(String rule, List<String> found) {
        assertTrue(found.isEmpty(), rule + ":\n  " + String.join("\n  ", found));
    }

    private static String imported(String line) {
        Matcher m = IMPORT.matcher(line);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void scannerSeesTheWholeTree() {
        Set<String> areas = SOURCES.stream().map(Source::area).collect(Collectors.toSet());
        assertTrue(areas.containsAll(Set.of("cli", "peer", "stats", "transfer", "signaling", "session", "errors")),
                "areas found: " + areas);
        assertTrue(SOURCES.size() >= 30, "only " + SOURCES.size() + " files found under " + ROOT);
        // Sanity: the rules below are not vacuous.
        assertFalse(violations(Set.of(), importsOrNames("dev.onvoid.webrtc")).isEmpty(), "peer uses webrtc-java");
        assertFalse(violations(Set.of(), importsOrNames("picocli")).isEmpty(), "cli uses picocli");
    }

    @Test
    void stripCommentsKeepsCodeAndLineNumbers() {
        String code = "a // System.out\n/* System.exit(1)\n */ b \"// not a comment\" '/'\n";
        String stripped = stripComments(code);
        assertEquals(code.lines().count(), stripped.lines().count());
        assertFalse(stripped.contains("System"), stripped);
        assertTrue(stripped.contains("\"// not a comment\""), stripped);
        assertTrue(stripped.contains("b"), stripped);
    }

    @Test
    void onlyPeerUsesWebrtcJava() {
        assertNone("only io.rtcat.peer may use dev.onvoid.webrtc",
                violations(Set.of("peer"), importsOrNames("dev.onvoid.webrtc")));
    }

    @Test
    void onlyStdioUsesJnaAndOnlyCliAndPeerUseStdio() {
        // peer too: SocketReceiveBuffers sets SO_RCVBUF on libwebrtc's sockets, which only peer may know about
        assertNone("only io.rtcat.stdio and io.rtcat.peer may use com.sun.jna",
                violations(Set.of("stdio", "peer"), importsOrNames("com.sun.jna")));
        assertFalse(violations(Set.of(), importsOrNames("com.sun.jna")).isEmpty(), "stdio uses JNA");
        // peer for stdio.Libc alone: one place knows how to load the C library without JNA's ldconfig run
        assertNone("only io.rtcat.cli and io.rtcat.peer may use io.rtcat.stdio",
                violations(Set.of("cli", "stdio", "peer"), importsOrNames("io.rtcat.stdio")));
    }

    @Test
    void onlySignalingUsesJavaWebSocket() {
        assertNone("only io.rtcat.signaling may use org.java_websocket",
                violations(Set.of("signaling"), importsOrNames("org.java_websocket")));
    }

    @Test
    void onlySignalingUsesTheRedisClient() {
        assertNone("only io.rtcat.signaling may use io.lettuce",
                violations(Set.of("signaling"), importsOrNames("io.lettuce")));
        assertFalse(violations(Set.of(), importsOrNames("io.lettuce")).isEmpty(), "signaling uses lettuce");
    }

    @Test
    void onlyCliUsesPicocliAndProgressBar() {
        assertNone("only io.rtcat.cli may use picocli",
                violations(Set.of("cli"), importsOrNames("picocli")));
        assertNone("only io.rtcat.cli may use me.tongfei (progressbar)",
                violations(Set.of("cli"), importsOrNames("me.tongfei")));
    }

    @Test
    void onlyCliTouchesTheProcess() {
        Pattern p = Pattern.compile("\\bSystem\\s*\\.\\s*(?:exit\\s*\\(|out\\b|err\\b)");
        assertNone("only io.rtcat.cli may call System.exit( or use System.out / System.err",
                violations(Set.of("cli"), line -> p.matcher(line).find()));
    }

    @Test
    void nothingOutsideCliDependsOnCli() {
        assertNone("io.rtcat.cli is the top layer; nothing may import it",
                violations(Set.of("cli"), importsOrNames("io.rtcat.cli")));
    }

    @Test
    void everyPackageHasARow() {
        Set<String> missing = new TreeSet<>();
        for (Source src : SOURCES) {
            if (!src.area().isEmpty() && !LAYERS.containsKey(src.area())) {
                missing.add(src.area());
            }
        }
        assertTrue(missing.isEmpty(), "packages without a row in ArchitectureTest.LAYERS: " + missing);
    }

    @Test
    void transferUsesOnlyTheMessageChannelOfPeer() {
        Pattern peerType = Pattern.compile("(?<![\\w.])io\\.rtcat\\.peer\\.(\\w+)");
        List<String> found = new ArrayList<>();
        for (Source src : SOURCES) {
            if (!src.area().equals("transfer")) {
                continue;
            }
            for (int i = 0; i < src.lines().size(); i++) {
                Matcher m = peerType.matcher(src.lines().get(i));
                while (m.find()) {
                    if (!m.group(1).equals("MessageChannel")) {
                        found.add(src.where(i));
                    }
                }
            }
        }
        assertNone("io.rtcat.transfer may use only io.rtcat.peer.MessageChannel of peer", found);
    }

    @Test
    void tableRowsNameRealPackages() {
        Set<String> known = new TreeSet<>(LAYERS.keySet());
        for (Allowed a : LAYERS.values()) {
            for (String used : a.rtcat()) {
                assertTrue(known.contains(used), used + " is used in the table but has no row");
            }
        }
        Set<String> present = SOURCES.stream().map(Source::area).collect(Collectors.toSet());
        Set<String> absent = new TreeSet<>(LAYERS.keySet());
        absent.removeAll(present);
        assertTrue(absent.isEmpty(), "rows for packages that do not exist: " + absent);
    }

    /** io.rtcat references and third-party imports that the package's row does not allow. */
    static List<String> layerViolations(List<Source> sources, Map<String, Allowed> layers) {
        Pattern rtcatRef = Pattern.compile("(?<![\\w.])io\\.rtcat\\.(\\w+)");
        List<String> found = new ArrayList<>();
        for (Source src : sources) {
            Allowed allowed = layers.get(src.area());
            if (allowed == null) {
                continue; // everyPackageHasARow reports it
            }
            for (int i = 0; i < src.lines().size(); i++) {
                String line = src.lines().get(i);
                if (line.trim().startsWith("package ")) {
                    continue;
                }
                Matcher m = rtcatRef.matcher(line);
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(src.top()) && !allowed.rtcat().contains(used)) {
                        found.add(src.where(i) + "   (io.rtcat." + used + ")");
                    }
                }
                String imp = imported(line);
                if (imp != null && !imp.startsWith("java.") && !imp.startsWith("io.rtcat.")
                        && allowed.thirdParty().stream().noneMatch(imp::startsWith)) {
                    found.add(src.where(i) + "   (" + imp + ")");
                }
            }
        }
        return found;
    }

    @Test
    void everyPackageUsesOnlyWhatItsRowAllows() {
        assertNone("imports outside ArchitectureTest.LAYERS (add the row entry only if the layering is meant)",
                layerViolations(SOURCES, LAYERS));
    }

    @Test
    void layerCheckCatchesAForbiddenUse() {
        Source stats = new Source(ROOT.resolve("io/rtcat/stats/X.java"), "stats",
                List.of("package io.rtcat.stats;", "import io.rtcat.peer.Peer;", "import com.fasterxml.jackson.X;",
                        "class X { io.rtcat.cli.Main m; java.util.List<String> l; }"));
        assertEquals(3, layerViolations(List.of(stats), LAYERS).size(), layerViolations(List.of(stats), LAYERS)
                .toString());
        Source cli = new Source(ROOT.resolve("io/rtcat/cli/Y.java"), "cli",
                List.of("package io.rtcat.cli;", "import io.rtcat.peer.Peer;", "import picocli.CommandLine;"));
        assertTrue(layerViolations(List.of(cli), LAYERS).isEmpty());
    }

    @Test
    void statsDependsOnlyOnTheJdk() {
        assertEquals(new Allowed(Set.of(), Set.of()), LAYERS.get("stats"), "stats is pure values: JDK only");
        assertEquals(new Allowed(Set.of(), Set.of()), LAYERS.get("errors"), "errors is the bottom layer");
        for (Map.Entry<String, Allowed> row : LAYERS.entrySet()) {
            assertFalse(row.getValue().rtcat().contains("cli"), row.getKey() + " may not use cli, the top layer");
        }
    }
}
