package io.rtcat.peer;

import dev.onvoid.webrtc.PeerConnectionFactory;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the webrtc-java native library once and turns failures into a one-line, actionable error that names
 * the platform and what to install on that platform.
 */
public final class NativeLibrary {

    /** Shared objects the Linux .so links against: the package that ships each on Debian/Ubuntu, Fedora, Arch. */
    private static final Map<String, String[]> PACKAGES = Map.of(
            "libpulse.so.0", new String[] {"libpulse0", "pulseaudio-libs", "libpulse"},
            "libudev.so.1", new String[] {"libudev1", "systemd-libs", "systemd-libs"},
            "libX11.so.6", new String[] {"libx11-6", "libX11", "libx11"},
            "libXfixes.so.3", new String[] {"libxfixes3", "libXfixes", "libxfixes"},
            "libXrandr.so.2", new String[] {"libxrandr2", "libXrandr", "libxrandr"},
            "libXcomposite.so.1", new String[] {"libxcomposite1", "libXcomposite", "libxcomposite"},
            "libdbus-1.so.3", new String[] {"libdbus-1-3", "dbus-libs", "dbus"});

    private static final Pattern MISSING_SO = Pattern.compile("([\\w.+-]+\\.so(?:\\.\\d+)*): cannot open shared object file");

    private static volatile RtcatException failure;
    private static volatile boolean loaded;
    private static volatile Thread preload;
    /** Run before the library loads (Main: wait until fd 1 no longer is the real stdout); null for nothing. */
    private static volatile Runnable gate;

    private NativeLibrary() {
    }

    /**
     * Starts {@link #ensureLoaded} on a daemon thread, so that the load overlaps the command's own start-up
     * (about 0.15 s each on two cores); a failure is kept and thrown by the command's own call.
     */
    public static void preload() {
        preload(() -> { });
    }

    /** {@link #preload()}, then {@code afterLoad} on the same thread once the library is in. */
    static synchronized void preload(Runnable afterLoad) {
        if (preload != null || loaded) {
            return;
        }
        preload = Threads.daemon("rtcat-native-preload", () -> {
            try {
                ensureLoaded();
            } catch (RtcatException ignored) {
                return; // ensureLoaded throws it again where it is reported
            }
            afterLoad.run();
        });
        preload.start();
    }

    /**
     * Makes the load wait for {@code before} (on whichever thread loads): Main claims stdout on a thread of its own,
     * and the library's threads must find fd 1 already pointing at stderr.
     */
    public static void loadAfter(Runnable before) {
        gate = before;
    }

    /**
     * Waits for a {@link #preload} (and what runs after it), so that the process never exits while the library is
     * half loaded (at most
     * {@link #PRELOAD_WAIT_MILLIS}: a load that takes longer is stuck, and exiting is then the better end).
     */
    public static void awaitPreload() throws InterruptedException {
        Thread t = preload;
        if (t != null) {
            t.join(PRELOAD_WAIT_MILLIS);
        }
    }

    private static final long PRELOAD_WAIT_MILLIS = 30_000;

    /**
     * Loads the library (some 15 ms from LibraryCache's copy, 0.15-0.3 s when webrtc-java extracts it); throws the
     * same error on every call if it cannot.
     */
    public static synchronized void ensureLoaded() throws RtcatException {
        if (loaded) {
            return;
        }
        if (failure != null) {
            throw failure;
        }
        Runnable before = gate;
        if (before != null) {
            before.run();
        }
        NativeHost host = NativeHost.current();
        RtcatException absent = checkPresent(host,
                NativeLibrary.class.getClassLoader().getResource(host.libraryResource()) != null);
        if (absent != null) {
            failure = absent;
            throw failure;
        }
        LibraryCache.load(host, System.getenv()); // else webrtc-java extracts it into java.io.tmpdir, as it always does
        try {
            // The class's static initialiser loads the library (extracting it first, unless LibraryCache did).
            Class.forName(PeerConnectionFactory.class.getName(), true, NativeLibrary.class.getClassLoader());
            loaded = true;
        } catch (LinkageError | ClassNotFoundException | RuntimeException e) {
            failure = describe(e, host);
            throw failure;
        }
    }

    /** Null when this platform is supported and this build carries its library; else the error to report. */
    static RtcatException checkPresent(NativeHost host, boolean resourcePresent) {
        if (!host.supported()) {
            return new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "no WebRTC native library exists for " + host.displayName() + " (" + host.classifier() + ")",
                    "rtcat runs on " + String.join(", ", NativeHost.SUPPORTED), null);
        }
        if (!resourcePresent) {
            return new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "this rtcat build does not carry the WebRTC native library for " + host.displayName(),
                    "use the rtcat-*-" + host.classifier() + " release archive (scripts/dist builds one for "
                            + "each platform)", null);
        }
        return null;
    }

    /** The running machine's description of {@code error}. */
    static RtcatException describe(Throwable error) {
        return describe(error, NativeHost.current());
    }

    static RtcatException describe(Throwable error, NativeHost host) {
        String text = fullText(error);
        Matcher m = MISSING_SO.matcher(text);
        if (m.find()) {
            String lib = m.group(1);
            return new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot load the WebRTC native library on " + host.displayName() + ": " + lib + " is missing",
                    installHint(lib, host.distro()), error);
        }
        java.io.IOException extraction = firstCause(error, java.io.IOException.class);
        if (extraction != null) {
            String dir = System.getProperty("java.io.tmpdir");
            return new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot load the WebRTC native library: cannot extract it into " + dir + " ("
                            + extraction.getClass().getSimpleName() + ": " + extraction.getMessage() + ")",
                    "point java.io.tmpdir at a writable directory that allows executables: "
                            + "RTCAT_JAVA_OPTS=-Djava.io.tmpdir=/some/dir", error);
        }
        if (text.contains("noexec") || text.contains("failed to map segment")) {
            return new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot load the WebRTC native library: the temporary directory does not allow executables",
                    "run with JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=/some/exec/dir", error);
        }
        String firstLine = text.lines().findFirst().orElse(error.getClass().getName());
        return new RtcatException(RtcatException.Kind.UNAVAILABLE,
                "cannot load the WebRTC native library on " + host.displayName() + ": " + firstLine,
                platformHint(host), error);
    }

    /** One command for the distribution in hand; all three families when it is not one of them. */
    static String installHint(String lib, NativeHost.Distro distro) {
        String[] pkg = PACKAGES.get(lib);
        if (pkg == null) {
            return "install the package that provides " + lib;
        }
        return switch (distro) {
            case DEBIAN -> "install it with: sudo apt-get install -y " + pkg[0];
            case FEDORA -> "install it with: sudo dnf install -y " + pkg[1];
            case ARCH -> "install it with: sudo pacman -S --needed " + pkg[2];
            case OTHER -> "install " + lib + " (Debian/Ubuntu: " + pkg[0] + ", Fedora: " + pkg[1] + ", Arch: "
                    + pkg[2] + ")";
        };
    }

    private static String platformHint(NativeHost host) {
        return switch (host.family()) {
            case "macos" -> "the macOS library needs no extra packages; use the rtcat archive for "
                    + host.classifier() + " and a Java 17+ for the same architecture (java -XshowSettings:properties)";
            case "windows" -> "the Windows library needs no extra packages; use a 64-bit (x86_64) Java 17+";
            default -> "rtcat's " + host.classifier() + " library needs glibc 2.18 or newer (Alpine/musl is not "
                    + "supported)";
        };
    }

    private static <T extends Throwable> T firstCause(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String fullText(Throwable error) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = error; t != null && sb.length() < 4096; t = t.getCause()) {
            if (t.getMessage() != null) {
                sb.append(t.getMessage()).append('\n');
            }
        }
        return sb.length() == 0 ? error.toString() : sb.toString();
    }
}
