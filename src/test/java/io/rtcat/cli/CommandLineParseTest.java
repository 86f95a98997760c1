package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Parses and runs rtcat's command line with captured output. Every {@code execute} case here fails in
 * flag validation (LoopbackCommand.validate(), IceOptions.toConfig(), ChannelFlags.toOptions(), the
 * file/out checks) before LoopbackCommand reaches PeerEngine.shared(), so the native library never loads.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CommandLineParseTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private CommandLine cl;

    // BaseCommand.call() reconfigures the root java.util.logging logger; put it back afterwards.
    private Handler[] savedHandlers;
    private Level savedLevel;
    private String savedFormat;

    @BeforeEach
    void setUp() {
        Logger root = Logger.getLogger("");
        savedHandlers = root.getHandlers();
        savedLevel = root.getLevel();
        savedFormat = System.getProperty("java.util.logging.SimpleFormatter.format");
        cl = Main.commandLine(new Console(new PrintWriter(out, true), new PrintWriter(err, true), false));
    }

    @AfterEach
    void restoreLogging() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        for (Handler h : savedHandlers) {
            root.addHandler(h);
        }
        root.setLevel(savedLevel);
        if (savedFormat == null) {
            System.clearProperty("java.util.logging.SimpleFormatter.format");
        } else {
            System.setProperty("java.util.logging.SimpleFormatter.format", savedFormat);
        }
    }

    private int run(String... args) {
        return cl.execute(args);
    }

    private List<String> errLines() {
        return err.toString().lines().toList();
    }

    private LoopbackCommand loopback() {
        return cl.getSubcommands().get("loopback").getCommand();
    }

    // ---- parsing only ----

    @Test
    void loopbackFlagsAreParsed() throws Exception {
        CommandLine.ParseResult result = cl.parseArgs("loopback", "--size", "1G", "--chunk-size", "128K",
                "--watermark", "2M", "--ice", "stun:h", "--ice", "turn:u:p@h", "--relay-only", "--json", "-q");
        assertTrue(result.hasSubcommand());
        assertEquals("loopback", result.subcommand().commandSpec().name());
        LoopbackCommand cmd = loopback();
        assertEquals("1G", cmd.size);
        assertEquals("128K", cmd.chunkSize);
        assertEquals("2M", cmd.ice.watermark);
        assertEquals(List.of("stun:h", "turn:u:p@h"), cmd.ice.servers.ice);
        assertTrue(cmd.ice.relayOnly);
        assertTrue(cmd.global.json);
        assertTrue(cmd.global.quiet);
        assertEquals(0, cmd.global.verbosity());
        assertNull(cmd.file);
        assertFalse(cmd.force);

        // The parsed flags turn into a valid peer configuration (pure Java, no native code).
        PeerConfig config = cmd.ice.toConfig();
        assertTrue(config.relayOnly());
        assertEquals(2L * 1024 * 1024, config.highWatermark());
        assertEquals(2, config.iceServers().size());
        assertEquals("turn:h:3478", config.iceServers().get(1).url());
        ChannelOptions options = cmd.channel.toOptions("rtcat");
        assertTrue(options.ordered());
        assertTrue(options.isReliable());
    }

    @Test
    void loopbackDefaults() {
        cl.parseArgs("loopback");
        LoopbackCommand cmd = loopback();
        assertEquals("256M", cmd.size);
        assertEquals("64K", cmd.chunkSize);
        assertEquals("16M", cmd.window);
        assertEquals(30, cmd.timeoutSeconds);
        assertEquals("4M", cmd.ice.watermark);
        assertTrue(cmd.ice.servers.ice.isEmpty());
        assertFalse(cmd.global.json);
        assertFalse(cmd.global.quiet);
    }

    /** The kernel's drop counter is per namespace: only the side that receives the data warns, once. */
    @Test
    void onlyTheReceivingSideWatchesUdpDrops() {
        assertFalse(new SendCommand().watchesUdpDrops());
        assertTrue(new ReceiveCommand().watchesUdpDrops());
    }

    @Test
    void verboseIsCounted() {
        cl.parseArgs("loopback", "-vv");
        assertEquals(2, loopback().global.verbosity());
    }

    @Test
    void channelFlagsAreParsed() {
        cl.parseArgs("loopback", "--unordered", "--max-retransmits", "3", "--negotiated-id", "7");
        LoopbackCommand cmd = loopback();
        assertTrue(cmd.channel.unordered);
        assertEquals(3, cmd.channel.maxRetransmits);
        assertEquals(7, cmd.channel.negotiatedId);
        assertNull(cmd.channel.maxPacketLifetime);
    }

    @Test
    void unknownOptionFailsParsing() {
        assertThrows(CommandLine.UnmatchedArgumentException.class, () -> cl.parseArgs("loopback", "--bogus"));
    }

    // ---- execute: usage errors ----

    @Test
    void unknownOptionExitsWithUsage() {
        int code = run("loopback", "--bogus");
        assertEquals(ExitCode.USAGE, code);
        String e = err.toString();
        assertTrue(e.contains("rtcat: "), e);
        assertTrue(e.contains("--bogus"), e);
        assertTrue(e.contains("hint: see 'rtcat loopback --help'"), e);
        assertEquals("", out.toString(), "nothing on stdout");
    }

    @Test
    void unknownCommandExitsWithUsage() {
        assertEquals(ExitCode.USAGE, run("frobnicate"));
        assertTrue(err.toString().contains("rtcat: "), err.toString());
        assertTrue(err.toString().contains("hint: see 'rtcat --help'"), err.toString());
    }

    @Test
    void missingCommandExitsWithUsage() {
        assertEquals(ExitCode.USAGE, run());
        assertTrue(err.toString().contains("missing command"), err.toString());
    }

    @Test
    void badIntegerExitsWithUsage() {
        assertEquals(ExitCode.USAGE, run("loopback", "--timeout", "soon"));
        assertTrue(err.toString().startsWith("rtcat: "), err.toString());
    }

    @Test
    void invalidSizeIsOneLineUsageError() {
        int code = run("loopback", "--size", "abc");
        assertEquals(ExitCode.USAGE, code);
        List<String> lines = errLines();
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).startsWith("rtcat: invalid --size: 'abc' is not a size"), lines.get(0));
        assertEquals("", out.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--force --rename | --force and --rename cannot be combined",
        "--chunk-size 512K | invalid --chunk-size 512K",
        "--chunk-size 512 | invalid --chunk-size 512",
        "--chunk-size 64K --window 32K | invalid --window 32K",
        "--timeout 0 | invalid --timeout 0",
        "--timeout 3601 | invalid --timeout 3601",
        "--max-retransmits 1 --max-packet-lifetime 5 | cannot be combined",
        "--max-retransmits 1 | must be ordered and reliable",
        "--unordered | must be ordered and reliable",
        "--negotiated-id 1024 | outside 0-1023",
        "--watermark 16M | watermark must be 64K-8M",
        "--watermark lots | invalid --watermark",
        "--relay-only | --relay-only needs a TURN server",
        "--relay-only --ice stun:h | --relay-only needs a TURN server",
        "--ice http://x | unsupported scheme",
        "--ice turn:h | TURN needs a username and password",
        "--port-range 40000 | invalid --port-range",
        "--port-range 40100-40000 | invalid port range",
        "--port-range a-b | invalid --port-range",
    })
    void invalidFlagsExitWithUsageBeforeAnyPeerStarts(String flags, String expected) {
        String[] args = ("loopback " + flags).split(" ");
        int code = run(args);
        assertEquals(ExitCode.USAGE, code, "exit code for " + flags + "; stderr: " + err);
        String first = errLines().get(0);
        assertTrue(first.startsWith("rtcat: "), first);
        assertTrue(err.toString().contains(expected), "expected '" + expected + "' in: " + err);
        assertFalse(err.toString().contains("\tat "), "no stack trace without --verbose: " + err);
    }

    @Test
    void passwordInIceFlagIsNotEchoed() {
        int code = run("loopback", "--ice", "turn:user:TopSecret1@h:0");
        assertEquals(ExitCode.USAGE, code);
        assertFalse(err.toString().contains("TopSecret1"), err.toString());
        assertTrue(err.toString().contains("port 0"), err.toString());
    }

    @Test
    void missingInputFileExitsWithNoInput(@TempDir Path dir) {
        Path missing = dir.resolve("missing.bin");
        int code = run("loopback", "--file", missing.toString());
        assertEquals(ExitCode.NO_INPUT, code, err.toString());
        assertTrue(err.toString().startsWith("rtcat: "), err.toString());
        assertTrue(err.toString().contains("missing.bin"), err.toString());
    }

    @Test
    void outThatIsNotADirectoryExitsWithCantCreate(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        int code = run("loopback", "--size", "1K", "--out", file.toString());
        assertEquals(ExitCode.CANT_CREATE, code, err.toString());
        assertTrue(err.toString().contains("not a directory"), err.toString());
        assertTrue(err.toString().contains("hint: create it first"), err.toString());
    }

    @Test
    void fileAndSizeTogetherAreRejected(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "x");
        assertEquals(ExitCode.USAGE, run("loopback", "--file", file.toString(), "--size", "1M"));
        assertTrue(err.toString().contains("--file and --size cannot be combined"), err.toString());
    }

    @Test
    void jsonUsageErrorIsAJsonDocumentOnStdout() throws Exception {
        int code = run("loopback", "--json", "--size", "abc");
        assertEquals(ExitCode.USAGE, code);
        JsonNode doc = new ObjectMapper().readTree(out.toString());
        assertTrue(doc.isObject(), out.toString());
        assertTrue(doc.path("error").asText().contains("invalid --size"), doc.toString());
        assertEquals(2, doc.path("exit_code").asInt(-1), doc.toString());
        assertTrue(err.toString().startsWith("rtcat: invalid --size"), "stderr still says it: " + err);
    }

    @Test
    void jsonErrorCarriesTheHint() throws Exception {
        int code = run("loopback", "--json", "--relay-only");
        assertEquals(ExitCode.USAGE, code);
        JsonNode doc = new ObjectMapper().readTree(out.toString());
        assertTrue(doc.path("error").asText().contains("--relay-only"), doc.toString());
        assertTrue(doc.path("hint").asText().contains("--ice turn:"), doc.toString());
        assertEquals(2, doc.path("exit_code").asInt(-1));
    }

    @Test
    void benchValidatesBeforeStartingPeers() {
        assertEquals(ExitCode.USAGE, run("bench", "--size", "512K"));
        assertTrue(err.toString().contains("invalid --size 512K"), err.toString());
    }

    @Test
    void benchRepeatIsChecked() {
        assertEquals(ExitCode.USAGE, run("bench", "--repeat", "0"));
        assertTrue(err.toString().contains("invalid --repeat 0"), err.toString());
    }

    @Test
    void benchSignalTakesItsUrlsFromOnePlaceAndChecksEachLine() {
        CliRun both = CliRun.of("bench", "signal", "--urls-from-stdin", "--url", "ws://127.0.0.1:1/");
        assertEquals(ExitCode.USAGE, both.exitCode(), both::toString);
        assertTrue(both.err().contains("--url and --urls-from-stdin: give one of them"), both::toString);

        CliRun wss = CliRun.withInput("wss://127.0.0.1:1/\n", "bench", "signal", "--urls-from-stdin");
        assertEquals(ExitCode.USAGE, wss.exitCode(), wss::toString);
        assertTrue(wss.err().contains("--urls-from-stdin: wss://127.0.0.1:1/: must be ws://HOST:PORT/"),
                wss::toString);
        assertEquals(1, wss.err().strip().lines().count(), wss::toString);

        CliRun none = CliRun.withInput("", "bench", "signal", "--urls-from-stdin", "--json");
        assertEquals(0, none.exitCode(), none::toString);
        assertEquals("", none.out(), "no URL, no round");
    }

    // ---- check: values are checked by picocli, so parsing alone rejects them ----

    private CheckCommand check() {
        return cl.getSubcommands().get("check").getCommand();
    }

    @Test
    void checkFlagsAreParsedIntoTheirValues() {
        cl.parseArgs("check", "--local", "-c", "5", "--interval", "0", "-n", "2M", "--bidir", "--expect", "relay",
                "--expect", "720p", "--min-throughput", "1.5", "--max-rtt", "40", "--timeout", "9");
        CheckCommand cmd = check();
        assertEquals(5, cmd.count);
        assertEquals(0, cmd.intervalMillis);
        assertEquals(2L << 20, cmd.size);
        assertTrue(cmd.direction.bidir);
        assertFalse(cmd.direction.reverse);
        assertEquals(List.of("relay", "720p"), cmd.expect);
        assertEquals(1.5, cmd.minThroughput);
        assertEquals(40.0, cmd.maxRtt);
        assertEquals(9, cmd.timeoutSeconds);
    }

    @Test
    void checkDefaults() {
        cl.parseArgs("check", "--local");
        CheckCommand cmd = check();
        assertEquals(20, cmd.count);
        assertEquals(20, cmd.intervalMillis);
        assertNull(cmd.size, "16M is applied by plan(), so that --media can tell an explicit --size");
        assertNull(cmd.direction);
        assertEquals(30, cmd.timeoutSeconds);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--count 0 | invalid --count 0: must be 1-10000",
        "--count 10001 | invalid --count 10001: must be 1-10000",
        "--count many | invalid --count many: must be 1-10000",
        "--interval -1 | invalid --interval -1: must be 0-10000 ms",
        "--size 0 | invalid --size 0: must be at least 1 byte",
        "--size lots | invalid --size lots: ",
        "--duration 0.05 | invalid --duration 0.05: must be 0.1-3600 seconds",
        "--duration 3601 | invalid --duration 3601: must be 0.1-3600 seconds",
        "--min-throughput 0 | invalid --min-throughput 0: must be a positive number of MB/s",
        "--max-rtt -3 | invalid --max-rtt -3: must be a positive number of milliseconds",
        "--timeout 0 | invalid --timeout 0: must be 1-3600 seconds",
        "--timeout 3601 | invalid --timeout 3601: must be 1-3600 seconds",
        "--expect tcp | invalid --expect tcp: must be direct or relay, or a media grade: audio, 180p",
        "--reverse --bidir | --reverse and --bidir cannot be combined",
    })
    void badCheckValuesFailInParsingAndExitWithUsage(String flags, String expected) throws Exception {
        String[] args = ("check --local " + flags).split(" ");
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> Main.commandLine(new Console(new PrintWriter(new StringWriter()),
                        new PrintWriter(new StringWriter()), false)).parseArgs(args));
        assertTrue(UsageErrors.message(e).startsWith(expected), UsageErrors.message(e));
        assertEquals(ExitCode.USAGE, run(args), err.toString());
        assertEquals("rtcat: " + UsageErrors.message(e), errLines().get(0));
        assertEquals("hint: see 'rtcat check --help'", errLines().get(1));
        assertEquals(2, errLines().size(), err.toString());
    }

    @Test
    void checkUsageErrorWithJsonIsOneDocument() throws Exception {
        assertEquals(ExitCode.USAGE, run("check", "--local", "--json", "--count", "0"));
        JsonNode doc = new ObjectMapper().readTree(out.toString());
        assertEquals("invalid --count 0: must be 1-10000", doc.path("error").asText());
        assertEquals("see 'rtcat check --help'", doc.path("hint").asText());
        assertEquals(2, doc.path("exit_code").asInt(-1));
    }

    /** Each value is refused by parseArgs alone, with the line the user sees. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "signal --port 70000 | invalid --port 70000: must be 0-65535",
        "signal --room-capacity 0 | invalid --room-capacity 0: must be 1-10000",
        "signal --max-message-size 100 | invalid --max-message-size 100: must be 256 bytes to 64M",
        "signal --idle-timeout 86401 | invalid --idle-timeout 86401: must be 0-86400 seconds",
        "signal --max-connections-per-ip -1 | invalid --max-connections-per-ip -1: must not be negative",
        "signal --rate 1000001 | invalid --rate 1000001: must be 0-1000000 messages per second",
        "signal --metrics-port -1 | invalid --metrics-port -1: must be 0-65535",
        "signal --redis-ttl 0 | invalid --redis-ttl 0: must be 1-3600 seconds",
        "signal --turn-ttl 10s | invalid --turn-ttl 10s: must be 1m-7d",
        "token --expires soon | invalid --expires soon: use a number with s, m, h or d, e.g. 30m or 8h",
        "probe --timeout 301 | invalid --timeout 301: must be 1-300 seconds",
        "doctor --timeout 0 | invalid --timeout 0: must be 1-300 seconds",
        "bench signal --clients 3 | invalid --clients 3: must be an even number from 2 to 100000",
        "bench signal --pace 60001 | invalid --pace 60001: must be 0-60000 ms",
        "bench signal --url wss://h/ | invalid --url wss://h/: must be ws://HOST:PORT/ (wss is not supported here)",
        "respond --port 65536 | invalid --port 65536: must be 0-65535",
        "loopback --port-range 40000 | invalid --port-range 40000: expected LOW-HIGH, e.g. 40000-40100",
        "check --media video --fps 61 | invalid --fps 61: must be 1-60",
    })
    void badValuesAreRefusedByParsingAlone(String command, String expected) {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> cl.parseArgs(command.split(" ")));
        assertEquals(expected, UsageErrors.message(e));
    }

    // ---- help ----

    @Test
    void topLevelHelpListsCommandsAndExitCodes() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        assertTrue(help.contains("loopback"), help);
        assertTrue(help.contains("bench"), help);
        assertTrue(help.contains("Exit codes:"), help);
        assertFalse(help.contains("generate-completion"), "hidden: " + help);
        for (String code : ExitCode.DESCRIPTIONS.keySet()) {
            assertTrue(help.matches("(?s).*\\n\\s*" + code + "\\s+.*"), "exit code " + code + " listed: " + help);
        }
    }

    @Test
    void loopbackHelpHasExamplesAndExitCodes() {
        assertEquals(0, run("loopback", "--help"));
        String help = out.toString();
        assertTrue(help.contains("Examples:"), help);
        assertTrue(help.contains("Exit codes:"), help);
        assertTrue(help.contains("--chunk-size"), help);
        assertTrue(help.contains("--relay-only"), help);
        assertTrue(help.contains("--json"), help);
    }

    @Test
    void benchHelpHasExamples() {
        assertEquals(0, run("bench", "--help"));
        assertTrue(out.toString().contains("Examples:"), out.toString());
        assertTrue(out.toString().contains("--chunk-sizes"), out.toString());
    }

    @Test
    void versionNamesWebrtcJava() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("rtcat "), out.toString());
        assertTrue(out.toString().contains("webrtc-java 0.14.0"), out.toString());
    }

    @Test
    void jsonModeReportsRejectedFlagsAsOneJsonDocumentToo() throws Exception {
        assertEquals(2, run("loopback", "--json", "--bogus"));
        JsonNode doc = new ObjectMapper()
                .readTree(out.toString());
        assertTrue(doc.get("error").asText().contains("--bogus"), out.toString());
        assertEquals(2, doc.get("exit_code").asInt());
    }
}
