package io.rtcat.cli;

import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * java.util.logging for one run: rtcat's own loggers at WARNING (INFO with -v, FINE with -vv), on stderr as
 * "rtcat: LEVEL: message". The libraries that log through slf4j (slf4j-jdk14 routes them here) stay silent
 * unless -vv: Java-WebSocket and Lettuce report things rtcat already turns into its own one-line errors, and a
 * default run prints nothing but rtcat's lines.
 */
final class Logging {

    /** Kept strongly: LogManager holds loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> LIBRARIES = List.of(
            Logger.getLogger("org.java_websocket"),
            Logger.getLogger("io.lettuce"));
    /** Lettuce's transport: with -vv only its INFO and above, its FINE is per-buffer noise. */
    private static final List<Logger> TRANSPORT = List.of(
            Logger.getLogger("io.netty"),
            Logger.getLogger("reactor"));

    private Logging() {
    }

    static void configure(int verbosity) {
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "rtcat: %4$s: %5$s%6$s%n");
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        Level level = verbosity == 0 ? Level.WARNING : verbosity == 1 ? Level.INFO : Level.FINE;
        handler.setLevel(level);
        root.setLevel(level);
        root.addHandler(handler);
        LIBRARIES.forEach(l -> l.setLevel(verbosity >= 2 ? Level.FINE : Level.OFF));
        TRANSPORT.forEach(l -> l.setLevel(verbosity >= 2 ? Level.INFO : Level.OFF));
    }

    /** The level a library logger ends up with (for tests). */
    static Level libraryLevel(String name) {
        for (Logger l = Logger.getLogger(name); l != null; l = l.getParent()) {
            if (l.getLevel() != null) {
                return l.getLevel();
            }
        }
        return null;
    }
}
