package io.rtcat.peer;

import dev.onvoid.webrtc.PeerConnectionFactory;
import io.rtcat.errors.RtcatException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads the webrtc-java native library once and turns link failures into a one-line, actionable error. */
public final class NativeLibrary {

    /** Shared objects the .so links against, and the Debian package that ships each. */
    private static final Map<String, String> PACKAGES = Map.of(
            "libpulse.so.0", "libpulse0",
            "libudev.so.1", "libudev1",
            "libX11.so.6", "libx11-6",
            "libXfixes.so.3", "libxfixes3",
            "libXrandr.so.2", "libxrandr2",
            "libXcomposite.so.1", "libxcomposite1",
            "libdbus-1.so.3", "libdbus-1-3");

    private static final Pattern MISSING_SO = Pattern.compile("([\\w.+-]+\\.so(?:\\.\\d+)*): cannot open shared object file");

    private static volatile RtcatException failure;
    private static volatile boolean loaded;

    private NativeLibrary() {
    }

    /** Loads the library (about 0.3 s the first time); throws the same error on every call if it cannot. */
    public static synchronized void ensureLoaded() throws RtcatException {
        if (loaded) {
            return;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            // The class's static initialiser extracts and loads the .so.
            Class.forName(PeerConnectionFactory.class.getName(), true, NativeLibrary.class.getClassLoader());
            loaded = true;
        } catch (LinkageError | ClassNotFoundException | RuntimeException e) {
            failure = describe(e);
            throw failure;
        }
    }

    static RtcatException describe(Throwable error) {
        String text = fullText(error);
        Matcher m = MISSING_SO.matcher(text);
        if (m.find()) {
            String lib = m.group(1);
            String pkg = PACKAGES.get(lib);
            String hint = pkg == null
                    ? "install the package that provides " + lib
                    : "install it with: sudo apt-get install -y " + pkg;
            return new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot load the WebRTC native library: " + lib + " is missing", hint, error);
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
                "cannot load the WebRTC native library: " + firstLine,
                "rtcat needs Linux x86_64 with glibc 2.18 or newer", error);
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
