package io.rtcat.cli;

import io.rtcat.diagnostics.CheckFailure;
import io.rtcat.diagnostics.CheckPlan;
import io.rtcat.diagnostics.CheckReport;
import io.rtcat.diagnostics.CheckThresholds;
import io.rtcat.diagnostics.Checker;
import io.rtcat.diagnostics.MediaCheck;
import io.rtcat.diagnostics.MediaSecond;
import io.rtcat.diagnostics.MediaVerdict;
import io.rtcat.diagnostics.LocalCheck;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.Connection;
import io.rtcat.session.HandshakeOptions;
import io.rtcat.session.MeetByCode;
import io.rtcat.session.RemotePeer;
import io.rtcat.session.RendezvousRace;
import io.rtcat.session.RendezvousSettings;
import io.rtcat.session.Role;
import io.rtcat.signaling.SignalingClient;
import io.rtcat.stats.StatsEntry;
import io.rtcat.stats.Units;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Prove that a path works end to end, like ping and iperf3 together: connect (time split into "
                    + "signaling, ICE, DTLS and channel open), echo --count pings, move data and name the "
                    + "selected candidate pair.",
            "",
            "Against a responder started with `rtcat respond` (--from HOST:PORT as it prints, or --signal URL "
                    + "and --room), or with --local both peers inside this process, so that e.g. --relay-only "
                    + "shows that a TURN server really relays data, which gathering candidates cannot prove. "
                    + "The throughput run sends --size bytes (or for --duration seconds) up to the responder; "
                    + "--reverse measures down, --bidir both at once. --expect, --min-throughput and --max-rtt "
                    + "turn the figures into an exit code (85, 86, 87).",
            "",
            "--media video|audio|both checks call quality instead of throughput: synthetic video (a moving test "
                    + "pattern) and/or audio (a tone sweep) over real RTP/SRTP for --duration seconds, with "
                    + "--codec, --resolution, --fps, --max-bitrate and --simulcast; per second and in summary it "
                    + "reports the bandwidth estimate, bitrates, frames, resolution, loss, NACK/PLI, jitter, "
                    + "freezes and a verdict (e.g. \"good for 720p30 video\"); --expect GRADE and --min-bitrate "
                    + "fail with 88.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat check --local",
            "      RTT, throughput and path on this machine",
            "  rtcat check --local --relay-only --ice turn:user:pass@turn.example.org \\",
            "      --expect relay",
            "  rtcat check --from 192.0.2.10:40123",
            "      against `rtcat respond` on that machine",
            "  rtcat check --from 192.0.2.10:40123 --bidir --duration 10 --json",
            "  rtcat check --signal wss://signal.example.org/ --room lab-3 \\",
            "      --expect direct --max-rtt 50",
            "  rtcat check --local --media both --duration 15",
            "      what call quality this machine's stack gives",
            "  rtcat check --from 192.0.2.10:40123 --media video --codec VP9 \\",
            "      --expect 720p --json",
        })
final class CheckCommand extends BaseCommand {

    private static final String DEFAULT_SIZE = "16M";
    private static final long DEFAULT_BYTES = Units.parseSize(DEFAULT_SIZE);
    private MediaCheck.Plan mediaPlan;
    /** The media connection's stats of its last measured second, for --stats-dump. */
    private volatile List<StatsEntry> mediaSnapshot;
    private boolean headerPrinted;

    @Mixin
    IceOptions ice;

    @Mixin
    StatsOptions statsOptions;

    @Mixin
    MediaOptions media;

    @Option(names = "--local", description = "Run both peers in this process instead of meeting a responder.")
    boolean local;

    @Option(names = "--from", paramLabel = "HOST:PORT",
            description = "The responder's embedded signaling server, as printed by `rtcat respond`.")
    String from;

    @Option(names = "--offline", description = "Use none of the public defaults (STUN servers, WebTorrent "
            + "trackers) to meet with --code; also RTCAT_OFFLINE=1.")
    boolean offline;

    @Option(names = "--signal", paramLabel = "URL",
            description = "Meet the responder on this signaling server (ws:// or wss://).")
    URI signal;

    @Option(names = "--room", paramLabel = "NAME",
            description = "The responder's room (default: " + CheckRoom.DEFAULT + ").")
    String room;

    @Option(names = "--code", paramLabel = "CODE",
            description = "The code phrase the responder was started with (`rtcat respond --code`): "
                    + "authenticates it (J-PAKE bound to DTLS). Default: $" + CheckRoom.CODE_ENV
                    + " (out of sight of ps) unless --room is given. Alone (no --from, --signal) it also finds the "
                    + "responder: on the LAN, on the trackers, or on RTCAT_SIGNAL.")
    String code;

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "20", converter = Count.class,
            description = "Pings to send, 1-10000 (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "20", converter = IntervalMillis.class,
            description = "Milliseconds between pings, 0-10000 (default: ${DEFAULT-VALUE}).")
    int intervalMillis;

    @Option(names = {"-n", "--size"}, paramLabel = "SIZE", converter = Bytes.class,
            description = "Bytes per direction for the throughput run: 1K, 16M, 1G... (default: " + DEFAULT_SIZE
                    + ").")
    Long size;

    @Option(names = {"-t", "--duration"}, paramLabel = "SECONDS", converter = DurationSeconds.class,
            description = "Send for this many seconds (0.1-3600) instead of --size.")
    Double duration;

    @ArgGroup(exclusive = true)
    Direction direction;

    /** --reverse or --bidir, not both (--bidir measures both directions); neither is up. */
    static final class Direction {
        @Option(names = {"-R", "--reverse"}, description = "Measure the responder sending to this side (down).")
        boolean reverse;

        @Option(names = "--bidir", description = "Measure both directions at the same time.")
        boolean bidir;
    }

    @Option(names = "--expect", paramLabel = "WHAT", completionCandidates = CompletionValues.CheckExpectations.class,
            converter = Expectation.class,
            description = "Fail with exit code 85 unless the selected pair is WHAT: direct or relay; with --media, "
                    + "fail with 88 unless the verdict is at least WHAT: audio, 180p, 360p, 720p or 1080p. "
                    + "Repeatable (--expect direct --expect 720p).")
    List<String> expect = new ArrayList<>();

    @Option(names = "--min-throughput", paramLabel = "MBPS", converter = PositiveMBps.class,
            description = "Fail with exit code 86 if a measured direction is slower than MBPS megabytes "
                    + "(10^6 bytes) per second.")
    Double minThroughput;

    @Option(names = "--max-rtt", paramLabel = "MS", converter = PositiveMillis.class,
            description = "Fail with exit code 87 if the average ping round trip exceeds MS milliseconds.")
    Double maxRtt;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", converter = Converters.TimeoutSeconds.class,
            description = "Give up connecting, waiting for an answer, or on a stalled transfer after this long "
                    + "(default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    static final class Count extends Converters.IntRange {
        Count() {
            super(1, 10_000, "must be 1-10000");
        }
    }

    static final class IntervalMillis extends Converters.IntRange {
        IntervalMillis() {
            super(0, 10_000, "must be 0-10000 ms");
        }
    }

    static final class Bytes implements ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            return Converters.sizeIn(v, 1, Long.MAX_VALUE, "must be at least 1 byte");
        }
    }

    static final class DurationSeconds extends Converters.DoubleRange {
        DurationSeconds() {
            super(0.1, 3600, "must be 0.1-3600 seconds");
        }
    }

    static final class PositiveMBps extends Converters.DoubleRange {
        PositiveMBps() {
            super(Double.MIN_VALUE, Double.MAX_VALUE, "must be a positive number of MB/s");
        }
    }

    static final class PositiveMillis extends Converters.DoubleRange {
        PositiveMillis() {
            super(Double.MIN_VALUE, Double.MAX_VALUE, "must be a positive number of milliseconds");
        }
    }

    /** direct, relay or a media grade. */
    static final class Expectation implements ITypeConverter<String> {
        @Override
        public String convert(String v) {
            if (!v.equals("direct") && !v.equals("relay") && !MediaVerdict.GRADES.contains(v)) {
                throw new Converters.Invalid("must be direct or relay, or a media grade: "
                        + String.join(", ", MediaVerdict.GRADES.subList(1, MediaVerdict.GRADES.size())));
            }
            return v;
        }
    }

    @Override
    boolean watchesUdpDrops() {
        return true;
    }

    @Override
    int execute() throws RtcatException {
        statsOptions.validate();
        CheckPlan plan = plan();
        MediaCheck.Plan mediaPlan = media.plan(duration);
        String expectPath = expect.stream().filter(e -> e.equals("direct") || e.equals("relay")).findFirst()
                .orElse(null);
        String expectGrade = expect.stream().filter(MediaVerdict.GRADES::contains).findFirst().orElse(null);
        if (expectGrade != null && mediaPlan == null) {
            throw UsageErrors.error("--expect " + expectGrade + " is a media verdict: add --media video|audio|both");
        }
        if (mediaPlan != null && (minThroughput != null || direction != null
                || size != null && size != DEFAULT_BYTES)) {
            throw UsageErrors.error("--media replaces the throughput run: --size, --reverse, --bidir and "
                    + "--min-throughput do not apply");
        }
        CheckThresholds thresholds = new CheckThresholds(expectPath, minThroughput, maxRtt, expectGrade,
                media.minBitrateKbps());
        this.mediaPlan = mediaPlan;
        String codeText = local ? null : CheckRoom.code(code, room);
        CheckRoom meetAt = local ? null : CheckRoom.of(codeText, room);
        RendezvousSettings settings = RendezvousSettings.load(System.getenv(), offline);
        // --code alone: find the responder on the LAN, the trackers or a configured signaling server
        boolean byCode = !local && codeText != null && from == null && signal == null;
        URI defaultSignal = from == null && signal == null ? settings.signal() : null;
        URI uri = local || byCode ? null : SignalAddress.resolve(from, signal != null ? signal : defaultSignal,
                "the responder", "rtcat respond");
        PeerConfig config = ice.toConfig(byCode ? settings.signal() != null : signal != null || defaultSignal != null,
                settings.ice());
        MeetByCode.Context byCodeContext = byCode ? new MeetByCode.Context(PeerEngine.shared(), config,
                ice.internetConfig(config, settings), ChannelOptions.reliable("rtcat-check"), settings,
                Duration.ofSeconds(timeoutSeconds), this::debug) : null;
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        PeerEngine engine = PeerEngine.shared();
        CheckReport report;
        try (ProgressDisplay progress = ProgressDisplay.start(console,
                !global.quiet && !global.json && mediaPlan == null, "check", plan.expectedBytes())) {
            report = local ? checkLocally(engine, config, plan, timeout, progress)
                    : byCode ? checkByCode(byCodeContext, plan, meetAt, progress)
                    : checkRemote(engine, config, plan, timeout, uri, meetAt, progress);
        }
        List<CheckFailure> failures = thresholds.evaluate(report);
        if (global.json) {
            console.out.println(CheckJson.of(report, failures).toPrettyString());
        } else {
            CheckText.print(console.out, report);
        }
        console.out.flush();
        for (CheckFailure f : failures) {
            console.err.println("rtcat: check failed: " + f.message());
        }
        console.err.flush();
        return ExitCode.ofCheck(failures);
    }

    private CheckReport checkLocally(PeerEngine engine, PeerConfig config, CheckPlan plan, Duration timeout,
            ProgressDisplay progress) throws RtcatException {
        note(String.format(Locale.ROOT, "rtcat check: connecting two local peers%s",
                config.relayOnly() ? " through the TURN relay" : ""));
        try (LocalCheck pair = LocalCheck.open(engine, config, ChannelOptions.reliable("rtcat-check"), timeout,
                Duration.ofHours(1), this::debug)) {
            return measure("local", pair.checker(), config, plan, progress,
                    Map.of("checker", pair.checker().peer(), "responder", pair.responder().peer()));
        }
    }

    private CheckReport checkRemote(PeerEngine engine, PeerConfig config, CheckPlan plan, Duration timeout, URI uri,
            CheckRoom where, ProgressDisplay progress) throws RtcatException {
        note("rtcat check: meeting the responder in room " + where.name() + " on " + SignalingClient.redact(uri));
        HandshakeOptions meeting = new HandshakeOptions(uri, where.name(), where.secret(), timeout,
                from != null, null, null, "check");
        try (RemotePeer remote = RemotePeer.connect(engine, config, ChannelOptions.reliable("rtcat-check"), meeting,
                Role.OFFERER, this::debug, fp -> debug("our DTLS fingerprint: " + fp))) {
            Connection c = remote.connection();
            return measure("remote", c, remote.config(), plan, progress, Map.of("checker", c.peer()));
        }
    }

    private CheckReport checkByCode(MeetByCode.Context c, CheckPlan plan, CheckRoom where, ProgressDisplay progress)
            throws RtcatException {
        note("rtcat check: looking for the responder with code number " + where.name());
        RendezvousRace.Met met = RendezvousRace.run(MeetByCode.toFind(c, where.name(), where.secret(), Role.OFFERER,
                "check"), c.timeout().plusSeconds(10), this::debug);
        note("rtcat check: met the responder via " + met.how());
        try (RemotePeer remote = met.peer()) {
            Connection conn = remote.connection();
            return measure("remote", conn, remote.config(), plan, progress, Map.of("checker", conn.peer()));
        }
    }

    /**
     * Runs the check with --stats-interval lines while it lasts and --stats-dump at the end or on failure.
     *
     * @param config the check connection's ICE settings (with servers the signaling server handed out)
     */
    private CheckReport measure(String mode, Connection c, PeerConfig config, CheckPlan plan, ProgressDisplay progress,
            Map<String, Peer> dumped) throws RtcatException {
        CheckReport report;
        try (StatsTicker ticker = StatsTicker.start(c.peer(), console, false, statsOptions.interval)) {
            Checker.MediaRequest request = mediaPlan == null ? null
                    : new Checker.MediaRequest(mediaPlan, PeerEngine.shared(), config, this::liveRow,
                            stats -> mediaSnapshot = stats);
            report = Checker.run(mode, c.peer(), c.channel(), c.timings(), plan, request, progress.updater(),
                    this::note);
        } catch (RtcatException e) {
            dumpStats(dumped, e.getMessage());
            throw e;
        }
        dumpStats(dumped, null);
        return report;
    }

    /** Prints a media check's second as it is measured (text mode only; --json carries them all at the end). */
    private void liveRow(MediaSecond row) {
        if (global.json || global.quiet) {
            return;
        }
        if (!headerPrinted) {
            headerPrinted = true;
            console.out.println(MediaText.HEADER);
        }
        console.out.println(MediaText.row(row));
        console.out.flush();
    }

    private void dumpStats(Map<String, Peer> peers, String error) throws RtcatException {
        if (statsOptions.dump != null) {
            Map<String, List<StatsEntry>> reports = StatsDump.collect(peers);
            List<StatsEntry> media = mediaSnapshot;
            if (media != null) {
                reports.put("media-sender", media); // its last second: the media connection is closed by now
            }
            StatsDump.write(statsOptions.dump, reports, error);
        }
    }

    /** The throughput run the options ask for; each value was range-checked while parsing. */
    private CheckPlan plan() throws RtcatException {
        if (local && (from != null || signal != null || room != null || code != null)) {
            throw UsageErrors.error("--local runs both peers here: it cannot be combined with --from, --signal, "
                    + "--room or --code");
        }
        long bytes = duration != null ? 0 : size != null ? size : DEFAULT_BYTES;
        CheckPlan.Direction way = direction == null ? CheckPlan.Direction.UP
                : direction.bidir ? CheckPlan.Direction.BOTH : CheckPlan.Direction.DOWN;
        return new CheckPlan(count, intervalMillis, bytes, duration == null ? 0 : duration, way,
                TimeUnit.SECONDS.toMillis(timeoutSeconds));
    }
}
