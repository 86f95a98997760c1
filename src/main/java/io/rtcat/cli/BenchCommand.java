package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.loopback.LoopbackTransfer;
import io.rtcat.loopback.PairObserver;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.peer.RawSendLoop;
import io.rtcat.stats.TransferReport;
import io.rtcat.stats.Units;
import io.rtcat.transfer.OnExisting;
import io.rtcat.transfer.TransferSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = BenchSignalCommand.class,
        description = {
            "Measure rtcat's loopback throughput against a bare webrtc-java send loop, side by side.",
            "",
            "For each chunk size and watermark, runs the baseline (the naive loop a webrtc-java user would "
                    + "write: no framing, hashing, flow control or disk) and then the full rtcat loopback "
                    + "(signaling, protocol v1, SHA-256 on both sides, credit window, temporary file, fsync), "
                    + "and prints the median of --repeat runs of each with their ratio.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat bench                                   default grid, 128 MiB per run",
            "  rtcat bench --size 512M --chunk-sizes 64K --watermarks 4M --repeat 5",
            "  rtcat bench --json | jq '.rows[] | {chunk_size, ratio}'",
        })
final class BenchCommand extends BaseCommand {

    @Option(names = {"-n", "--size"}, paramLabel = "SIZE", defaultValue = "128M",
            description = "Bytes per run (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--chunk-sizes", paramLabel = "SIZE", split = ",", defaultValue = "16K,64K,256K",
            description = "Chunk sizes to try (default: ${DEFAULT-VALUE}).")
    List<String> chunkSizes;

    @Option(names = "--watermarks", paramLabel = "SIZE", split = ",", defaultValue = "1M,4M",
            description = "Send-queue watermarks to try (default: ${DEFAULT-VALUE}).")
    List<String> watermarks;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Runs of each kind per setting; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    private record Row(int chunk, long watermark, double baseline, double rtcat) {
        double ratio() {
            return baseline == 0 ? 0 : rtcat / baseline;
        }
    }

    @Override
    int execute() throws RtcatException {
        long bytes = Sizes.parse("--size", size);
        if (bytes < 1 << 20) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --size " + size + ": at least 1M");
        }
        if (repeat < 1 || repeat > 50) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --repeat " + repeat + ": must be 1-50");
        }
        PeerEngine engine = PeerEngine.shared();
        List<Row> rows = new ArrayList<>();
        Path dir = tempDir();
        try {
            for (String c : chunkSizes) {
                int chunk = (int) Sizes.parse("--chunk-sizes", c);
                if (chunk < 1024 || chunk > 262_144) {
                    throw new RtcatException(RtcatException.Kind.USAGE, "invalid chunk size " + c + ": 1K-256K");
                }
                for (String w : watermarks) {
                    long watermark = Sizes.parse("--watermarks", w);
                    PeerConfig config = new PeerConfig(List.of(), false, 0, 0, false, watermark);
                    config.validate();
                    double[] base = new double[repeat];
                    double[] full = new double[repeat];
                    for (int i = 0; i < repeat; i++) {
                        RawSendLoop.Result raw = RawSendLoop.run(engine, bytes, chunk, watermark, 600_000);
                        base[i] = Units.bytesPerSecond(raw.bytes(), raw.nanos());
                        full[i] = rtcatRun(engine, config, bytes, chunk, dir);
                        note(String.format(Locale.ROOT, "chunk %s, watermark %s, run %d: baseline %.1f MB/s, "
                                + "rtcat %.1f MB/s", Units.formatSize(chunk), Units.formatSize(watermark), i + 1,
                                base[i] / 1e6, full[i] / 1e6));
                    }
                    rows.add(new Row(chunk, watermark, median(base), median(full)));
                }
            }
        } finally {
            dir.toFile().delete();
        }
        print(rows, bytes);
        return ExitCode.OK;
    }

    private double rtcatRun(PeerEngine engine, PeerConfig config, long bytes, int chunk, Path dir)
            throws RtcatException {
        LoopbackTransfer.Settings settings = new LoopbackTransfer.Settings(chunk, config.highWatermark(),
                16L << 20, OnExisting.OVERWRITE, Duration.ofSeconds(60));
        TransferSource source = TransferSource.generated("bench.bin", bytes, System.nanoTime());
        TransferReport report = new LoopbackTransfer(settings).connectAndRun(engine, config,
                ChannelOptions.reliable("rtcat"), source, dir, b -> { }, this::debug, PairObserver.NONE);
        try {
            Files.deleteIfExists(dir.resolve(report.name()));
        } catch (IOException ignored) {
            // Removed with the directory at the end.
        }
        if (!report.verified()) {
            throw new RtcatException(RtcatException.Kind.FAILED, "benchmark transfer was not verified");
        }
        return report.senderBytesPerSecond();
    }

    private void print(List<Row> rows, long bytes) {
        if (global.json) {
            ObjectNode doc = JsonDocument.create();
            doc.put("bytes_per_run", bytes);
            doc.put("repeat", repeat);
            ArrayNode array = doc.putArray("rows");
            for (Row r : rows) {
                ObjectNode n = array.addObject();
                n.put("chunk_size", r.chunk());
                n.put("high_watermark", r.watermark());
                n.put("baseline_bytes_per_second", Math.round(r.baseline()));
                n.put("rtcat_bytes_per_second", Math.round(r.rtcat()));
                n.put("ratio", Math.round(r.ratio() * 1000) / 1000.0);
            }
            console.out.println(doc.toPrettyString());
        } else {
            console.out.printf(Locale.ROOT, "%s per run, median of %d; baseline = bare webrtc-java send loop%n",
                    Units.formatSize(bytes), repeat);
            console.out.printf("%-9s %-10s %15s %15s %7s%n", "chunk", "watermark", "baseline MB/s", "rtcat MB/s",
                    "ratio");
            for (Row r : rows) {
                console.out.printf(Locale.ROOT, "%-9s %-10s %15.1f %15.1f %7.2f%n", Units.formatSize(r.chunk()),
                        Units.formatSize(r.watermark()), r.baseline() / 1e6, r.rtcat() / 1e6, r.ratio());
            }
        }
        console.out.flush();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Path tempDir() throws RtcatException {
        try {
            return Files.createTempDirectory("rtcat-bench-");
        } catch (IOException e) {
            throw new RtcatException(RtcatException.Kind.CANT_CREATE, "cannot create a temporary directory: "
                    + e.getMessage(), null, e);
        }
    }
}
