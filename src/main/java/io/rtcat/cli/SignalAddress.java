package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import java.net.URI;
import java.util.List;

/** Turns --from HOST:PORT (an embedded signaling server) or --signal URL into the server's WebSocket URI. */
final class SignalAddress {

    private SignalAddress() {
    }

    /** Refuses a --signal URL that is not ws:// or wss://. */
    static void requireWebSocket(URI signal) throws RtcatException {
        if (signal != null && !List.of("ws", "wss").contains(String.valueOf(signal.getScheme()))) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --signal "
                    + io.rtcat.signaling.SignalingClient.redact(signal) + ": expected ws://HOST:PORT/ or wss://HOST/");
        }
    }

    /**
     * @param other what the other side is ("the sender", "the responder"), for the error message
     * @param printer the command that prints the address to use
     */
    static URI resolve(String from, URI signal, String other, String printer) throws RtcatException {
        if ((from == null) == (signal == null)) {
            throw new RtcatException(RtcatException.Kind.USAGE,
                    from == null ? "tell rtcat where to meet " + other + ": --from HOST:PORT or --signal URL"
                            : "--from and --signal cannot be combined",
                    "`" + printer + "` prints the exact command to run");
        }
        if (signal != null) {
            requireWebSocket(signal);
            return signal;
        }
        try {
            URI uri = new URI("ws://" + from + "/");
            if (uri.getHost() == null || uri.getPort() < 1) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (Exception e) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --from '" + from
                    + "': expected HOST:PORT, e.g. 192.0.2.10:40123");
        }
    }
}
