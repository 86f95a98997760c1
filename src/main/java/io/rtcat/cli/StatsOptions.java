package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --stats-interval and --stats-dump, for commands that hold a live connection. */
public final class StatsOptions {

    @Option(names = "--stats-interval", paramLabel = "SECONDS", defaultValue = "0",
            description = "Every SECONDS, print RTT, send/receive rate and the path on stderr "
                    + "(NDJSON \"stats\" events on stdout in a JSON stream); 0 off (default).")
    double interval;

    @Option(names = "--stats-dump", paramLabel = "FILE",
            description = "At the end (or on failure) write the full WebRTC stats report of each peer as JSON, "
                    + "like chrome://webrtc-internals.")
    Path dump;

    void validate() throws RtcatException {
        if (!(interval == 0 || (interval >= 0.1 && interval <= 3600))) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --stats-interval " + interval
                    + ": must be 0 (off) or 0.1-3600 seconds");
        }
    }
}
