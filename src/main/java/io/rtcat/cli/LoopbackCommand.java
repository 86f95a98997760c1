package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.loopback.LoopbackTransfer;
import io.rtcat.loopback.PairObserver;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.stats.TransferReport;
import io.rtcat.stats.Units;
import io.rtcat.transfer.OnExisting;
import io.rtcat.transfer.PacingSummary;
import io.rtcat.transfer.TransferSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "loopback", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Connect two real WebRTC peers inside this process and send data between them.",
            "",
            "The peers meet through an embedded WebSocket signaling server on 127.0.0.1, exactly as two "
                    + "machines would, then run full ICE, DTLS and SCTP over this machine's own interfaces "
                    + "(the packets never leave it). The receiver verifies the SHA-256 and reports throughput, "
                    + "RTT and the selected candidate pair, like iperf3.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat loopback",
            "      256 MiB of generated data, human report",
            "  rtcat loopback --size 1G --json | jq .sender.bits_per_second",
            "  rtcat loopback --file big.iso --out /tmp/copy   keep the received copy",
            "  rtcat loopback --relay-only --ice turn:user:pass@127.0.0.1:3478",
            "      force a TURN relay",
        })
final class LoopbackCommand extends BaseCommand {

    @Mixin
    IceOptions ice;

    @Mixin
    ChannelFlags channel;

    @Mixin
    StatsOptions statsOptions;

    @Option(names = {"-n", "--size"}, paramLabel = "SIZE", defaultValue = "256M",
            description = "Bytes of generated data to send: 0, 1024, 64K, 256M, 4G... (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Send this file instead of generated data.")
    Path file;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Keep the received copy in DIR (default: a temporary directory, removed afterwards).")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing file in --out.")
    boolean force;

    @Option(names = "--rename", description = "If the file exists in --out, save as 'name (1).ext' instead.")
    boolean rename;

    @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "64K",
            description = "Bytes per data-channel message, 1K-256K (default: ${DEFAULT-VALUE}).")
    String chunkSize;

    @Option(names = "--window", paramLabel = "SIZE", defaultValue = "16M",
            description = "Receiver's flow-control window: most bytes in flight to a slow disk (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Give up connecting, or on a stalled transfer, after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--drop-after", paramLabel = "SIZE", hidden = true,
            description = "Fault injection: the receiving peer hangs up after SIZE bytes.")
    String dropAfter;

    @Override
    boolean watchesUdpDrops() {
        return true;
    }

    @Override
    int execute() throws RtcatException {
        statsOptions.validate();
        Settings s = validate();
        PeerConfig config = ice.toConfig();
        ChannelOptions channelOptions = channel.toOptions("rtcat");
        if (!channelOptions.ordered() || !channelOptions.isReliable()) {
            throw new RtcatException(RtcatException.Kind.USAGE,
                    "loopback verifies every byte, so its channel must be ordered and reliable",
                    "drop --unordered, --max-retransmits and --max-packet-lifetime");
        }
        TransferSource source = file != null
                ? TransferSource.ofFile(file)
                : TransferSource.generated("rtcat-loopback.bin", s.bytes, System.nanoTime());
        Path dir = out != null ? prepareOut(out) : temporaryDirectory(source.size());
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        PeerEngine engine = PeerEngine.shared();
        note(String.format("rtcat loopback: sending %s (%s)%s", Units.formatSize(source.size()),
                file != null ? file : "generated data", config.relayOnly() ? " through the TURN relay" : ""));
        try {
            TransferReport report;
            PacingSummary pacing;
            try (ProgressDisplay progress = ProgressDisplay.start(console, !global.quiet && !global.json,
                    "loopback", source.size())) {
                // The copy in the temporary directory is deleted right after: no fsync for it (README, "Start-up").
                LoopbackTransfer.Settings settings = new LoopbackTransfer.Settings(s.chunk, config.highWatermark(),
                        s.window, onExisting(), timeout, dropAfter == null ? -1 : Sizes.parse("--drop-after", dropAfter),
                        out != null);
                LoopbackTransfer transfer = new LoopbackTransfer(settings);
                report = transfer.connectAndRun(engine, config, channelOptions, source, dir,
                        progress.updater(), this::debug, new StatsHooks());
                pacing = transfer.pacing();
            }
            if (global.json) {
                ObjectNode json = ReportPrinter.toJson(report);
                if (pacing != null) {
                    json.set("pacing", ReportPrinter.pacingJson(pacing));
                }
                console.out.println(json.toPrettyString());
            } else {
                ReportPrinter.printText(console.out, report);
                if (pacing != null) {
                    console.out.printf("Pacing:   %s%n", pacing.describe());
                }
            }
            console.out.flush();
            return report.verified() ? ExitCode.OK : ExitCode.FAILED;
        } finally {
            if (out == null) {
                deleteTree(dir);
            }
        }
    }

    private record Settings(long bytes, int chunk, long window) {
    }

    /** --stats-interval while the data flows, --stats-dump of both peers at the end. */
    private final class StatsHooks implements PairObserver {
        private StatsTicker ticker;

        @Override
        public void connected(Peer sender, Peer receiver) {
            ticker = StatsTicker.start(sender, console, false, statsOptions.interval);
        }

        @Override
        public void finishing(Peer sender, Peer receiver, RtcatException failure) throws RtcatException {
            ticker.close();
            if (statsOptions.dump != null) {
                StatsDump.write(statsOptions.dump, StatsDump.collect(Map.of("sender", sender, "receiver", receiver)),
                        failure == null ? null : failure.getMessage());
            }
        }
    }

    private Settings validate() throws RtcatException {
        if (force && rename) {
            throw new RtcatException(RtcatException.Kind.USAGE, "--force and --rename cannot be combined");
        }
        if (file != null && !size.equals("256M")) {
            throw new RtcatException(RtcatException.Kind.USAGE, "--file and --size cannot be combined");
        }
        long bytes = Sizes.parse("--size", size);
        long chunk = Sizes.parse("--chunk-size", chunkSize);
        if (chunk < 1024 || chunk > 262_144) {
            throw new RtcatException(RtcatException.Kind.USAGE,
                    "invalid --chunk-size " + chunkSize + ": must be 1K-256K (libwebrtc's message limit)");
        }
        long win = Sizes.parse("--window", window);
        if (win < chunk || win > 1L << 30) {
            throw new RtcatException(RtcatException.Kind.USAGE,
                    "invalid --window " + window + ": must be at least one chunk and at most 1G");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new RtcatException(RtcatException.Kind.USAGE,
                    "invalid --timeout " + timeoutSeconds + ": must be 1-3600 seconds");
        }
        return new Settings(bytes, (int) chunk, win);
    }

    private OnExisting onExisting() {
        return force ? OnExisting.OVERWRITE : rename ? OnExisting.RENAME : OnExisting.FAIL;
    }

    private static Path prepareOut(Path dir) throws RtcatException {
        if (!Files.isDirectory(dir)) {
            throw new RtcatException(RtcatException.Kind.CANT_CREATE, "cannot save into " + dir
                    + ": not a directory", "create it first: mkdir -p " + dir);
        }
        if (!Files.isWritable(dir)) {
            throw new RtcatException(RtcatException.Kind.CANT_CREATE, "cannot save into " + dir + ": not writable");
        }
        return dir;
    }

    private static Path temporaryDirectory(long bytes) throws RtcatException {
        try {
            Path dir = Files.createTempDirectory("rtcat-loopback-");
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < bytes + (64L << 20)) {
                deleteTree(dir);
                throw new RtcatException(RtcatException.Kind.CANT_CREATE, "not enough space in " + dir.getParent()
                        + " for " + Units.formatSize(bytes) + " (" + Units.formatSize(free) + " free)",
                        "use a smaller --size or --out DIR on a bigger disk");
            }
            return dir;
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
