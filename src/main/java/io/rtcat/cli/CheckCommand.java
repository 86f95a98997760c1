package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.diagnostics.CheckFailure;
import io.rtcat.diagnostics.CheckReport;
import io.rtcat.diagnostics.CheckThresholds;
import io.rtcat.diagnostics.EchoProbe;
import io.rtcat.diagnostics.RttStats;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.LocalRendezvous;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.TransferReport;
import io.rtcat.stats.Units;
import io.rtcat.transfer.LoopbackTransfer;
import io.rtcat.transfer.OnExisting;
import io.rtcat.transfer.TransferSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Prove that a path works end to end: connect, measure round trips and throughput, and name the "
                    + "selected candidate pair.",
            "",
            "With --local both peers run inside this process (like loopback), so e.g. --relay-only shows that "
                    + "a TURN server really relays data, which gathering candidates cannot prove. The offerer "
                    + "sends --count small pings that the answerer echoes at once, then --size bytes of "
                    + "generated data. --expect, --min-throughput and --max-rtt turn the figures into an exit "
                    + "code (85, 86, 87).",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat check --local                                 RTT, throughput and path on this machine",
            "  rtcat check --local --relay-only --ice turn:user:pass@turn.example.org --expect relay",
            "  rtcat check --local --min-throughput 50 --max-rtt 5 --json",
        })
final class CheckCommand extends BaseCommand {

    @Mixin
    IceOptions ice;

    @Option(names = "--local", description = "Run both peers in this process (the only mode so far).")
    boolean local;

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "20",
            description = "Pings to send, 1-10000 (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "20",
            description = "Milliseconds between pings, 0-10000 (default: ${DEFAULT-VALUE}).")
    int intervalMillis;

    @Option(names = {"-n", "--size"}, paramLabel = "SIZE", defaultValue = "16M",
            description = "Bytes of generated data for the throughput test: 1K, 16M, 1G... (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--expect", paramLabel = "PATH",
            description = "Fail with exit code 85 unless the selected pair is PATH: direct or relay.")
    String expect;

    @Option(names = "--min-throughput", paramLabel = "MBPS",
            description = "Fail with exit code 86 if the transfer is slower than MBPS megabytes (10^6 bytes) per second.")
    Double minThroughput;

    @Option(names = "--max-rtt", paramLabel = "MS",
            description = "Fail with exit code 87 if the average ping round trip exceeds MS milliseconds.")
    Double maxRtt;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Give up connecting, waiting for pongs, or on a stalled transfer after this long "
                    + "(default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    int execute() throws RtcatException {
        if (!local) {
            throw new RtcatException(RtcatException.Kind.USAGE,
                    "remote checks (against 'rtcat respond') are not built yet; only --local is",
                    "run 'rtcat check --local'");
        }
        long bytes = validate();
        CheckThresholds thresholds = new CheckThresholds(expect, minThroughput, maxRtt);
        PeerConfig config = ice.toConfig();
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        PeerEngine engine = PeerEngine.shared();
        note(String.format(Locale.ROOT, "rtcat check: connecting two local peers%s",
                config.relayOnly() ? " through the TURN relay" : ""));
        CheckReport report;
        Path dir = temporaryDirectory();
        try (LocalRendezvous rendezvous = LocalRendezvous.open(timeout)) {
            debug("signaling on " + rendezvous.signalingUri());
            LocalRendezvous.Pair pair = rendezvous.connect(engine, config, ChannelOptions.reliable("rtcat"), timeout,
                    this::debug);
            try {
                report = measure(pair, config, bytes, timeout, dir);
            } finally {
                pair.offerer().close();
                pair.answerer().close();
            }
        } finally {
            deleteTree(dir);
        }
        List<CheckFailure> failures = thresholds.evaluate(report);
        if (global.json) {
            console.out.println(toJson(report, failures).toPrettyString());
        } else {
            printText(report);
        }
        console.out.flush();
        for (CheckFailure f : failures) {
            console.err.println("rtcat: check failed: " + f.message());
        }
        console.err.flush();
        return CheckFailure.first(failures).map(f -> f.kind().exitCode()).orElse(ExitCode.OK);
    }

    private CheckReport measure(LocalRendezvous.Pair pair, PeerConfig config, long bytes, Duration timeout, Path dir)
            throws RtcatException {
        long connectMillis = Math.max(pair.offerer().connectMillis(), pair.answerer().connectMillis());
        note(String.format(Locale.ROOT, "rtcat check: connected in %d ms; sending %d pings", connectMillis, count));
        EchoProbe.Result pings = new EchoProbe(count, intervalMillis, timeout.toMillis())
                .run(pair.offerer().channel(), pair.answerer().channel());
        if (pings.answered() == 0) {
            throw new RtcatException(RtcatException.Kind.TIMEOUT,
                    "no pong came back within " + timeoutSeconds + " s of the last ping",
                    "the channel opened but carries no data; run again with --verbose");
        }
        note("rtcat check: sending " + Units.formatSize(bytes) + " of generated data");
        TransferSource source = TransferSource.generated("rtcat-check.bin", bytes, System.nanoTime());
        LoopbackTransfer.Settings settings = new LoopbackTransfer.Settings(64 * 1024, config.highWatermark(),
                16L << 20, OnExisting.OVERWRITE, timeout);
        TransferReport transfer;
        try (ProgressDisplay progress = ProgressDisplay.start(console, !global.quiet && !global.json, "check",
                bytes)) {
            transfer = new LoopbackTransfer(settings).run(pair, source, dir, progress.updater());
        }
        if (!transfer.verified()) {
            throw new RtcatException(RtcatException.Kind.FAILED, "the check transfer arrived corrupted (SHA-256 mismatch)");
        }
        ConnectionStats stats = transfer.connection() != null ? transfer.connection()
                : Futures.poll(pair.offerer().peer().stats(), TimeUnit.SECONDS.toNanos(5));
        return new CheckReport(connectMillis, pings.stats(), pings.sent(), pings.answered(), transfer.bytes(),
                transfer.receiverNanos(), stats);
    }

    private long validate() throws RtcatException {
        if (expect != null && !expect.equals("direct") && !expect.equals("relay")) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --expect " + expect
                    + ": must be direct or relay");
        }
        if (count < 1 || count > 10_000) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --count " + count + ": must be 1-10000");
        }
        if (intervalMillis < 0 || intervalMillis > 10_000) {
            throw new RtcatException(RtcatException.Kind.USAGE,
                    "invalid --interval " + intervalMillis + ": must be 0-10000 ms");
        }
        if (minThroughput != null && !(minThroughput > 0)) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --min-throughput " + minThroughput
                    + ": must be a positive number of MB/s");
        }
        if (maxRtt != null && !(maxRtt > 0)) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --max-rtt " + maxRtt
                    + ": must be a positive number of milliseconds");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new RtcatException(RtcatException.Kind.USAGE,
                    "invalid --timeout " + timeoutSeconds + ": must be 1-3600 seconds");
        }
        long bytes = Sizes.parse("--size", size);
        if (bytes < 1) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --size " + size + ": must be at least 1 byte");
        }
        return bytes;
    }

    private void printText(CheckReport r) {
        var out = console.out;
        out.printf(Locale.ROOT, "Connected in %s%n", Units.formatMillis(r.connectMillis()));
        if (r.connection() != null) {
            ReportPrinter.printPath(out, r.connection());
        } else {
            out.println("Path:     unknown (stats unavailable)");
        }
        RttStats rtt = r.rtt();
        out.printf(Locale.ROOT, "Pings:    %d sent, %d answered, %d lost%n", r.pingsSent(), r.pingsAnswered(),
                r.pingsLost());
        out.printf(Locale.ROOT, "Ping RTT: min %.3f / avg %.3f / max %.3f / p95 %.3f / stddev %.3f ms%n",
                rtt.min(), rtt.avg(), rtt.max(), rtt.p95(), rtt.stddev());
        out.printf(Locale.ROOT, "Transfer: %s in %.2f s, %s%n", Units.formatSize(r.bytes()),
                r.transferNanos() / 1e9, Units.formatRate(r.throughputBytesPerSecond()));
    }

    private static ObjectNode toJson(CheckReport r, List<CheckFailure> failures) {
        ObjectNode root = ReportPrinter.JSON.createObjectNode();
        root.put("schema_version", 1);
        root.put("connect_ms", r.connectMillis());
        RttStats rtt = r.rtt();
        ObjectNode rttNode = root.putObject("rtt_ms");
        rttNode.put("min", micros(rtt.min()));
        rttNode.put("avg", micros(rtt.avg()));
        rttNode.put("max", micros(rtt.max()));
        rttNode.put("p95", micros(rtt.p95()));
        rttNode.put("stddev", micros(rtt.stddev()));
        ObjectNode pings = root.putObject("pings");
        pings.put("sent", r.pingsSent());
        pings.put("answered", r.pingsAnswered());
        pings.put("lost", r.pingsLost());
        root.put("bytes", r.bytes());
        root.put("transfer_seconds", r.transferNanos() / 1e9);
        root.put("throughput_bytes_per_second", Math.round(r.throughputBytesPerSecond()));
        if (r.connection() != null) {
            root.set("connection", ReportPrinter.connectionJson(r.connection()));
        } else {
            root.putNull("connection");
        }
        var list = root.putArray("failures");
        for (CheckFailure f : failures) {
            list.addObject().put("kind", f.kind().id()).put("exit_code", f.kind().exitCode())
                    .put("message", f.message());
        }
        root.put("passed", failures.isEmpty());
        return root;
    }

    /** Milliseconds rounded to the microsecond. */
    private static double micros(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }

    private static Path temporaryDirectory() throws RtcatException {
        try {
            return Files.createTempDirectory("rtcat-check-");
        } catch (IOException e) {
            throw new RtcatException(RtcatException.Kind.CANT_CREATE,
                    "cannot create a temporary directory: " + e.getMessage(), null, e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover temporary directory is harmless.
        }
    }
}
