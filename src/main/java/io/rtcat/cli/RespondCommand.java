package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.diagnostics.Checker;
import io.rtcat.diagnostics.Responder;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.NoPeerCame;
import io.rtcat.session.HandshakeOptions;
import io.rtcat.session.MeetByCode;
import io.rtcat.session.RemotePeer;
import io.rtcat.session.Rendezvous;
import io.rtcat.session.RendezvousRace;
import io.rtcat.session.RendezvousSettings;
import io.rtcat.session.SignalingRendezvous;
import io.rtcat.session.lan.LanAnnouncer;
import io.rtcat.session.Role;
import io.rtcat.signaling.SignalingServer;
import io.rtcat.stats.Units;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "respond", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Answer `rtcat check` from other machines: echo its pings, take its uploads and send its "
                    + "downloads, one check after another.",
            "",
            "With no --signal, rtcat starts a signaling server inside this process and prints the command "
                    + "to run on the checking machine. Checks are served one at a time (others wait their turn "
                    + "within their --timeout); each may last --max-seconds. The responder reads and writes no "
                    + "files. Plain rooms are not authenticated: pass --code to require a code phrase "
                    + "(J-PAKE bound to DTLS), which every check then needs too. With --json, each served "
                    + "check is one JSON line (event check-served) on stdout, and a failure (a signal, a bad flag) "
                    + "ends it with one event error line.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat respond",
            "      prints e.g. rtcat check --from 192.0.2.10:40123",
            "  rtcat respond --port 8790 --once",
            "      one check on a fixed port, then exit",
            "  rtcat respond --signal wss://signal.example.org/ --room lab-3",
            "  rtcat respond --code 7-crossbow-orbit     only checkers that know the code",
        })
final class RespondCommand extends BaseCommand {

    /** How long the responder waits in the room before rejoining (stays below servers' idle timeouts). */
    static final Duration REJOIN_AFTER = Duration.ofSeconds(240);

    @Mixin
    IceOptions ice;

    @Option(names = "--signal", paramLabel = "URL",
            description = "Wait for checks on this signaling server (ws:// or wss://) instead of an embedded one.")
    URI signal;

    @Option(names = "--room", paramLabel = "NAME",
            description = "The room to wait in (default: " + CheckRoom.DEFAULT + ").")
    String room;

    @Option(names = "--code", paramLabel = "CODE",
            description = "Serve only checkers that know this code phrase (NUMBER-WORD-WORD; default: $"
                    + CheckRoom.CODE_ENV + ", which keeps it out of ps).")
    String code;

    @Mixin
    EmbeddedServerOptions server;

    @Option(names = "--offline", description = "Use none of the public defaults (STUN servers, WebTorrent "
            + "trackers) to be found with --code; also RTCAT_OFFLINE=1.")
    boolean offline;

    @Option(names = "--once", description = "Serve one check, then exit with its outcome.")
    boolean once;

    @Option(names = "--max-checks", paramLabel = "N", defaultValue = "0",
            description = "Exit after serving N checks (default: 0, no limit).")
    long maxChecks;

    @Option(names = "--max-code-failures", paramLabel = "N", defaultValue = "10",
            description = "With --code: stop (exit 1) after N failed code checks in all, so that nobody can keep "
                    + "guessing the code online; start again with a new code (default: ${DEFAULT-VALUE}).")
    int maxCodeFailures;

    @Option(names = "--max-seconds", paramLabel = "SECONDS", defaultValue = "60",
            description = "The longest one check may take, 1-3600 (default: ${DEFAULT-VALUE}).")
    int maxSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Once a checker shows up, how long connecting to it may take (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** --json is NDJSON here (one line per check), so a failure is its last line too, not a second document. */
    @Override
    boolean jsonStream() {
        return global.json;
    }

    @Override
    int execute() throws RtcatException {
        code = CheckRoom.code(code, room);
        validate();
        CheckRoom where = CheckRoom.of(code, room);
        RendezvousSettings settings = RendezvousSettings.load(System.getenv(), offline);
        URI signal = this.signal != null ? this.signal : settings.signal();
        PeerConfig config = ice.toConfig(signal != null, settings.ice());
        SignalingServer embedded = null;
        LanAnnouncer lan = null;
        try {
            URI uri = signal;
            if (uri == null) {
                embedded = server.start();
                uri = embedded.uri(); // the bind address (loopback for a wildcard), not always 127.0.0.1
                if (code != null) {
                    lan = announceOnLan(where.name(), embedded);
                }
            }
            HandshakeOptions meeting = new HandshakeOptions(uri, where.name(), where.secret(), Duration.ofSeconds(timeoutSeconds), false, null,
                    REJOIN_AFTER, "respond");
            MeetByCode.Context trackers = code == null || this.signal != null ? null
                    : new MeetByCode.Context(PeerEngine.shared(), config, ice.internetConfig(config, settings),
                            ChannelOptions.reliable("rtcat-check"), settings, REJOIN_AFTER, this::debug);
            announce(embedded, signal, where.name(), lan != null);
            return serve(PeerEngine.shared(), config, meeting, where, trackers);
        } finally {
            if (lan != null) {
                lan.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** LAN discovery is a convenience: without it (no multicast here) the printed --from forms still work. */
    private LanAnnouncer announceOnLan(String nameplate, SignalingServer embedded) {
        if (!server.reachableFromOtherMachines()) {
            return null; // nobody on the LAN could connect
        }
        try {
            return LanAnnouncer.start(nameplate, embedded.port(), server.hostsToAnnounce());
        } catch (RtcatException e) {
            debug("not announcing on the LAN: " + e.getMessage());
            return null;
        }
    }

    /**
     * Meets the next checker: through the signaling server only, or (with --code and trackers configured) in a
     * race with the trackers.
     */
    private RemotePeer meetNext(PeerEngine engine, PeerConfig config, HandshakeOptions meeting, CheckRoom where,
            MeetByCode.Context trackerContext) throws RtcatException {
        ChannelOptions channel = ChannelOptions.reliable("rtcat-check");
        List<Rendezvous> trackers = trackerContext == null ? List.of()
                : MeetByCode.trackers(trackerContext, where.name(), where.secret(), Role.ANSWERER);
        if (trackers.isEmpty()) {
            return RemotePeer.connect(engine, config, channel, meeting, Role.ANSWERER, this::debug,
                    fp -> debug("our DTLS fingerprint: " + fp));
        }
        List<Rendezvous> ways = new ArrayList<>();
        ways.add(new SignalingRendezvous("the signaling server " + meeting.signaling(), engine, config, channel, meeting,
                Role.ANSWERER, this::debug, fp -> debug("our DTLS fingerprint: " + fp)));
        ways.addAll(trackers);
        RendezvousRace.Met met = RendezvousRace.run(ways, REJOIN_AFTER.plus(Duration.ofSeconds(timeoutSeconds + 10)),
                this::debug);
        debug("met the checker via " + met.how());
        return met.peer();
    }

    private int serve(PeerEngine engine, PeerConfig config, HandshakeOptions meeting, CheckRoom where,
            MeetByCode.Context trackers) throws RtcatException {
        Responder responder = new Responder(Duration.ofSeconds(maxSeconds), s -> debug("responder: " + s));
        int failuresInARow = 0;
        int codeFailures = 0;
        for (long served = 1; ; ) {
            try (RemotePeer remote = meetNext(engine, config, meeting, where, trackers)) {
                failuresInARow = 0;
                String who = remote.connection().remoteUserId();
                debug("serving check " + served + " from " + who);
                Responder.Served s = responder.serve(remote.connection().channel(),
                        Checker.opener(remote.connection().peer()), new Responder.MediaPeers(engine, remote.config()));
                report(served, who, remote.connection().connectMillis(), s);
                if (once || served == maxChecks) {
                    return ExitCode.OK;
                }
                served++;
            } catch (NoPeerCame e) {
                debug("no check for " + REJOIN_AFTER.toSeconds() + " s; rejoining the room");
            } catch (RtcatException e) {
                if (once || e.kind() == RtcatException.Kind.USAGE || e.kind() == RtcatException.Kind.INTERRUPTED) {
                    throw e;
                }
                failuresInARow++;
                if (code != null && e.getMessage() != null && e.getMessage().startsWith("code phrase mismatch")
                        && ++codeFailures >= maxCodeFailures) {
                    throw new RtcatException(RtcatException.Kind.FAILED, "stopped after " + codeFailures
                            + " failed code check" + (codeFailures == 1 ? "" : "s") + " (last: " + e.getMessage()
                            + "); someone may be guessing the code",
                            "start again with a new code (--max-code-failures sets how many failures are allowed)");
                }
                long backoff = Math.min(30, 1L << Math.min(failuresInARow - 1, 5));
                note("rtcat respond: check failed: " + e.getMessage() + " (waiting again in " + backoff + " s)");
                sleepSeconds(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted");
            }
        }
    }

    private void report(long n, String who, long connectMillis, Responder.Served s) {
        if (global.json) {
            ObjectNode line = JsonDocument.create();
            line.put("event", "check-served").put("check", n).put("checker", who).put("connect_ms", connectMillis)
                    .put("pongs", s.pongs()).put("bytes_received", s.bytesReceived())
                    .put("bytes_sent", s.bytesSent()).put("ended_by", s.endedBy());
            if (s.media() == null) {
                line.putNull("media");
            } else {
                line.putObject("media").put("video_frames", s.media().videoFrames())
                        .put("audio_samples", s.media().audioSamples());
            }
            console.out.println(line.toString());
            console.out.flush();
        }
        note(String.format(Locale.ROOT, "rtcat respond: check %d from %s: %d pongs, received %s, sent %s%s (%s)", n,
                who, s.pongs(), Units.formatSize(s.bytesReceived()), Units.formatSize(s.bytesSent()),
                s.media() == null ? "" : String.format(Locale.ROOT, ", media: %d video frames, %.1f s of audio",
                        s.media().videoFrames(), s.media().audioSamples() / 48_000.0), s.endedBy()));
    }

    private void announce(SignalingServer embedded, URI signal, String meetingRoom, boolean codeAlone) {
        StringBuilder sb = new StringBuilder("Waiting for checks. On the checking machine, run:\n");
        String auth = code != null ? " --code " + code : room != null ? " --room " + room : "";
        if (codeAlone) {
            sb.append("  rtcat check").append(auth).append('\n').append("or, if it cannot find this machine, name it:\n");
        }
        if (embedded != null) {
            List<String> hosts = server.hostsToAnnounce();
            for (String host : hosts) {
                sb.append("  rtcat check --from ").append(host).append(':').append(embedded.port()).append(auth)
                        .append('\n');
            }
        } else {
            sb.append("  rtcat check --signal ").append(signal)
                    .append(code != null ? auth : " --room " + meetingRoom).append('\n');
        }
        console.err.print(sb);
        console.err.flush();
    }

    private void validate() throws RtcatException {
        SignalAddress.requireWebSocket(this.signal);
        if (maxChecks < 0) {
            throw UsageErrors.error("invalid --max-checks " + maxChecks + ": must be 0 (no limit) or more");
        }
        if (maxSeconds < 1 || maxSeconds > 3600) {
            throw UsageErrors.error("invalid --max-seconds " + maxSeconds + ": must be 1-3600");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw UsageErrors.error("invalid --timeout " + timeoutSeconds + ": must be 1-3600 seconds");
        }
        if (maxCodeFailures < 1 || maxCodeFailures > 1000) {
            throw UsageErrors.error("invalid --max-code-failures " + maxCodeFailures + ": must be 1-1000");
        }
    }

    private static void sleepSeconds(long seconds) throws RtcatException {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted");
        }
    }
}
