package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * `rtcat signal --redis` flag checks (no Redis needed: they fail before connecting), and the deployment
 * examples' command lines still parse as `rtcat signal` flags, so a renamed flag breaks this test, not a
 * production unit.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SignalRedisOptionsTest {

    private static void assertUsage(String expected, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(ExitCode.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().contains(expected), run::toString);
    }

    @Test
    void badRedisUrlsAreUsageErrors() {
        assertUsage("scheme must be redis:// or rediss://", "signal", "--port", "0", "--redis", "http://h:6379");
        assertUsage("no host", "signal", "--port", "0", "--redis", "redis:///0");
        assertUsage("must be a database number", "signal", "--port", "0", "--redis", "redis://h:6379/x");
        assertUsage("invalid --redis-ttl 0", "signal", "--port", "0", "--redis", "redis://h", "--redis-ttl", "0");
    }

    private static Path examples() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("examples/systemd"))) {
                return d.resolve("examples");
            }
        }
        throw new AssertionError("examples/ not found");
    }

    /** The words after "rtcat.jar signal", with the examples' variables filled in. */
    private static List<String> signalArgs(String commandLine) {
        String filled = commandLine.replace("${CREDENTIALS_DIRECTORY}", "/run/credentials/rtcat-signal.service");
        List<String> words = new ArrayList<>(Arrays.asList(filled.trim().split("\\s+")));
        int at = words.indexOf("signal");
        assertTrue(at > 0 && words.get(at - 1).endsWith("rtcat.jar"), commandLine);
        return words.subList(at, words.size());
    }

    /** Parses only (nothing runs), so no output needs capturing. */
    private static CommandLine.ParseResult assertParses(List<String> args) {
        CommandLine cl = Main.commandLine(new Console(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false));
        CommandLine.ParseResult r = cl.parseArgs(args.toArray(new String[0]));
        assertTrue(r.hasSubcommand(), args::toString);
        assertEquals("signal", r.subcommand().commandSpec().name());
        return r.subcommand();
    }

    @Test
    void theSystemdUnitIsHardenedAndItsCommandParses() throws Exception {
        String unit = Files.readString(examples().resolve("systemd/rtcat-signal.service"));
        for (String setting : List.of("DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "CapabilityBoundingSet=\n", "SuccessExitStatus=143", "RestartPreventExitStatus=2")) {
            assertTrue(unit.contains(setting), setting);
        }
        Matcher m = Pattern.compile("(?m)^ExecStart=((?:.*\\\\\\n)*.*)$").matcher(unit);
        assertTrue(m.find(), unit);
        String exec = m.group(1).replace("\\\n", " ").replace("$RTCAT_JAVA_OPTS", "");
        assertTrue(assertParses(signalArgs(exec)).hasMatchedOption("--secret-file"), exec);
        assertTrue(unit.contains("Environment=" + SignalCommand.REDIS_ENV + "=redis://"), "--redis from the environment");
    }

    @Test
    void theComposeServersCommandsParse() throws Exception {
        String compose = Files.readString(examples().resolve("compose/compose.yaml"));
        Matcher m = Pattern.compile("(?m)^    command: >-\\n((?:      .*\\n)+)").matcher(compose);
        int found = 0;
        while (m.find()) {
            assertTrue(assertParses(signalArgs(m.group(1).replace("\n", " "))).hasMatchedOption("--redis"));
            found++;
        }
        assertEquals(2, found, "two signal servers");
        assertTrue(compose.contains("redis:") && compose.contains("coturn:"), compose);
    }

    @Test
    void theProxySnippetsUpgradeWebSockets() throws Exception {
        String nginx = Files.readString(examples().resolve("nginx/rtcat-signal.conf"));
        assertTrue(nginx.contains("proxy_set_header Upgrade $http_upgrade;"), nginx);
        assertTrue(nginx.contains("proxy_set_header Connection $connection_upgrade;"), nginx);
        assertTrue(nginx.contains("proxy_http_version 1.1;"), nginx);
        Matcher t = Pattern.compile("proxy_read_timeout (\\d+)s;").matcher(nginx);
        assertTrue(t.find() && Integer.parseInt(t.group(1)) > 300, "longer than the default --idle-timeout");
        String caddy = Files.readString(examples().resolve("caddy/Caddyfile"));
        assertTrue(caddy.contains("reverse_proxy 127.0.0.1:8765 127.0.0.1:8766"), caddy);
    }
}
