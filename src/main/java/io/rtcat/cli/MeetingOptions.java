package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.session.RendezvousSettings;
import java.net.URI;
import picocli.CommandLine.Option;

/** Where and how `send` and `receive` meet: signaling server, plain room, pinned fingerprint, offline, NDJSON. */
public final class MeetingOptions {

    @Option(names = "--signal", paramLabel = "URL",
            description = "Meet on this signaling server (ws:// or wss://, e.g. one run with `rtcat signal`).")
    URI signal;

    @Option(names = "--room", paramLabel = "NAME",
            description = "Join a plain room with no code phrase: for browser pages and other WebRTC peers. "
                    + "The peer is not authenticated unless --fingerprint pins it.")
    String room;

    @Option(names = "--fingerprint", paramLabel = "FP",
            description = "With --room: accept only a peer whose DTLS certificate has this fingerprint "
                    + "(sha-256 AB:CD:...), as the other side prints or shows it.")
    String fingerprint;

    @Option(names = "--offline", description = "Use none of the public defaults (STUN servers, WebTorrent "
            + "trackers): meet on the LAN, a --from address or a --signal server only. Also RTCAT_OFFLINE=1.")
    boolean offline;

    @Option(names = "--json-stream", description = "Print progress events as JSON lines (NDJSON) on stdout.")
    boolean jsonStream;

    void validate() throws RtcatException {
        SignalAddress.requireWebSocket(signal);
        if (fingerprint != null && room == null) {
            throw new RtcatException(RtcatException.Kind.USAGE, "--fingerprint is for plain rooms (--room)",
                    "with a code phrase the peer's certificate is already authenticated");
        }
    }

    /** RTCAT_* variables and the config file, with --offline applied. */
    RendezvousSettings settings() throws RtcatException {
        return RendezvousSettings.load(System.getenv(), offline);
    }

    static void validateTimeout(int seconds) throws RtcatException {
        if (seconds < 1 || seconds > 86400) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --timeout " + seconds
                    + ": must be 1-86400 seconds");
        }
    }
}
