package io.rtcat.cli;

import io.rtcat.diagnostics.CheckPlan;
import io.rtcat.diagnostics.CheckReport;
import io.rtcat.diagnostics.Checker;
import io.rtcat.diagnostics.LocalCheck;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.Connection;
import io.rtcat.stats.Units;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Doctor's data test through one TURN server: two peers in this process, relay only, a few pings and a short
 * upload, as `check --local --relay-only --ice URL` does.
 *
 * @param transport how this process reaches the TURN server: udp, tcp or tls (turns:)
 * @param error why it failed, null when it worked
 */
record RelayDataTest(String url, String transport, int pingsSent, int pingsAnswered, Double rttAvgMillis,
        Double bytesPerSecond, String error) {

    static final long BYTES = 2L * 1024 * 1024;

    static RelayDataTest run(PeerEngine engine, IceServerUrl turn, Duration timeout, Consumer<String> debug) {
        PeerConfig config = new PeerConfig(List.of(turn), true, 0, 0, false, PeerConfig.DEFAULT_HIGH_WATERMARK);
        CheckPlan plan = new CheckPlan(5, 100, BYTES, 0, CheckPlan.Direction.UP, timeout.toMillis());
        try (LocalCheck pair = LocalCheck.open(engine, config, ChannelOptions.reliable("rtcat-doctor"), timeout,
                timeout.multipliedBy(2), debug)) {
            Connection checker = pair.checker();
            CheckReport r = Checker.run("local", checker.peer(), checker.channel(), checker.timings(), plan, null,
                    bytes -> { }, debug);
            return new RelayDataTest(turn.url(), transportOf(turn), r.pingsSent(), r.pingsAnswered(),
                    r.rtt() == null ? null : r.rtt().avg(), r.throughputBytesPerSecond(), null);
        } catch (RtcatException e) {
            return new RelayDataTest(turn.url(), transportOf(turn), 0, 0, null, null, e.getMessage());
        }
    }

    /** udp, tcp, or tls for turns: (TLS over TCP). */
    static String transportOf(IceServerUrl turn) {
        if (turn.scheme().equals("turns")) {
            return "tls";
        }
        return turn.transport() == null ? "udp" : turn.transport();
    }

    /**
     * The transports to test for one TURN URL: a turn: URL over UDP or unspecified is tested over UDP and, from the
     * same URL, over TCP (a network that blocks UDP still reaches it there); one naming tcp, or a turns: URL (TLS),
     * as given. TLS is only tested when a turns: URL is given, since the TLS port and certificate are the server's.
     */
    static List<IceServerUrl> variants(IceServerUrl turn) {
        if (!turn.scheme().equals("turn") || "tcp".equals(turn.transport())) {
            return List.of(turn);
        }
        return List.of(turn, withTransport(turn, "tcp")); // the first as given: the verdict looks it up by URL
    }

    private static IceServerUrl withTransport(IceServerUrl turn, String transport) {
        String host = turn.host().contains(":") ? "[" + turn.host() + "]" : turn.host();
        return new IceServerUrl(turn.scheme(), turn.host(), turn.port(), transport, turn.username(), turn.password(),
                turn.scheme() + ":" + host + ":" + turn.port() + "?transport=" + transport);
    }

    boolean ok() {
        return error == null;
    }

    /** e.g. "5/5 pings, RTT 1.2 ms, 14.3 MB/s". */
    String describe() {
        if (error != null) {
            return "FAILED: " + error;
        }
        return String.format(Locale.ROOT, "%d/%d pings, RTT %s, %s", pingsAnswered, pingsSent,
                Units.formatRtt(rttAvgMillis),
                bytesPerSecond == null ? "n/a" : Units.formatRate(bytesPerSecond));
    }
}
