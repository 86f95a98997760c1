package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.diagnostics.DoctorVerdict;
import io.rtcat.diagnostics.NatBehaviour;
import io.rtcat.diagnostics.ProbeAnalysis;
import io.rtcat.diagnostics.ProbeReport;
import io.rtcat.diagnostics.Prober;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.RendezvousSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Find out why connections fail, in one command: this machine's addresses, what each STUN server "
                    + "sees, the NAT's mapping and filtering (RFC 5780, against a STUN server with an alternate "
                    + "address), each TURN server's credentials and a relay-only data test through it (pings "
                    + "and a 2 MiB upload); then one verdict line with the likely cause and fix.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat doctor --ice stun:stun.example.org --ice turn:u:p@turn.example.org",
            "  rtcat doctor --ice stun:203.0.113.2 --json | jq -r .verdict.text",
            "  rtcat doctor --ice turns:user:pass@turn.example.org:443 --junit doctor.xml",
        })
final class DoctorCommand extends BaseCommand {

    @Mixin
    IceServerOptions ice;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", converter = ProbeCommand.Timeout.class,
            description = "The longest any test may take, 1-300 (default: ${DEFAULT-VALUE}); they run in parallel.")
    int timeoutSeconds;

    @Option(names = "--junit", paramLabel = "FILE",
            description = "Also write the results as a JUnit XML report (one test case per check) for CI.")
    Path junit;

    @Option(names = "--offline", description = "Without --ice, test only what RTCAT_ICE or the config file name, "
            + "never the built-in public STUN servers (also RTCAT_OFFLINE=1).")
    boolean offline;

    /** What to test: --ice, else RTCAT_ICE or the config file, else (not offline) the built-in public STUN servers. */
    private List<IceServerUrl> servers() throws RtcatException {
        List<IceServerUrl> given = ice.parse(List.of());
        if (!given.isEmpty()) {
            return given;
        }
        RendezvousSettings settings = RendezvousSettings.load(System.getenv(), offline);
        if (!settings.ice().isEmpty()) {
            debug("doctor: ICE servers from " + settings.iceFrom());
            return ice.parse(settings.ice());
        }
        if (!settings.publicStun().isEmpty()) {
            note("rtcat doctor: no --ice, RTCAT_ICE or config: testing the built-in public STUN servers "
                    + String.join(", ", settings.publicStun()) + " (--offline tests none)");
        }
        return IceServerOptions.parseAll(settings.publicStun());
    }

    @Override
    int execute() throws RtcatException {
        List<IceServerUrl> servers = servers();
        List<String> expect = new ArrayList<>(List.of("host"));
        if (servers.stream().anyMatch(s -> !s.isTurn())) {
            expect.add("srflx");
        }
        if (servers.stream().anyMatch(IceServerUrl::isTurn)) {
            expect.add("relay");
        }
        note("rtcat doctor: testing " + (servers.isEmpty() ? "this machine's addresses (no --ice server)"
                : servers.size() + " server(s)") + ", up to " + timeoutSeconds + " s");
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        // NAT tests and relay tests all at once, so doctor takes no longer than its slowest test
        ExecutorService tests = Executors.newCachedThreadPool(Threads.named("rtcat-doctor-test"));
        List<CompletableFuture<NatBehaviour>> nat = new ArrayList<>();
        for (IceServerUrl s : servers) {
            if (!s.isTurn()) {
                nat.add(CompletableFuture.supplyAsync(() -> measure(s, timeout), tests));
            }
        }
        PeerEngine engine = PeerEngine.shared();
        List<CompletableFuture<RelayDataTest>> relays = new ArrayList<>();
        for (IceServerUrl s : servers) {
            if (!s.isTurn()) {
                continue;
            }
            for (IceServerUrl variant : RelayDataTest.variants(s)) { // in parallel, so no longer in total
                relays.add(CompletableFuture.supplyAsync(() -> RelayDataTest.run(engine, variant, timeout,
                        this::debug), tests));
            }
        }
        tests.shutdown(); // the submitted tests run on; their threads end with them
        List<IceServerUrl> probed = servers;
        ProbeReport probe = Prober.run(engine, new Prober.Settings(probed, true, timeout,
                ProbeAnalysis.parseExpect(String.join(",", expect))), this::debug);
        List<NatBehaviour> behaviours = new ArrayList<>();
        for (CompletableFuture<NatBehaviour> f : nat) {
            try {
                behaviours.add(f.get(timeoutSeconds + 5L, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted");
            } catch (ExecutionException | TimeoutException e) {
                debug("NAT behaviour test failed: " + e);
            }
        }
        List<RelayDataTest> relayed = new ArrayList<>();
        for (CompletableFuture<RelayDataTest> f : relays) {
            try {
                relayed.add(f.get(2L * timeoutSeconds + 10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted");
            } catch (ExecutionException | TimeoutException e) {
                debug("relay data test failed: " + e);
            }
        }
        Map<String, String> relayFailures = new LinkedHashMap<>();
        Map<String, String> relayRates = new LinkedHashMap<>();
        for (RelayDataTest r : relayed) {
            if (r.ok()) {
                relayRates.put(r.url(), r.bytesPerSecond() == null ? "?"
                        : String.format(Locale.ROOT, "%.1f MB/s", r.bytesPerSecond() / 1e6));
            } else {
                relayFailures.put(r.url(), r.error());
            }
        }
        DoctorVerdict verdict = DoctorVerdict.of(probe, behaviours, relayRates, relayFailures);
        if (global.json) {
            console.out.println(json(probe, behaviours, relayed, verdict).toPrettyString());
        } else {
            ProbeText.print(console.out, probe);
            for (NatBehaviour b : behaviours) {
                console.out.printf("NAT (%s): %s%n", b.server(), b.describe());
            }
            for (RelayDataTest r : relayed) {
                console.out.printf("Relay %-3s (%s): %s%n", r.transport(), r.url(), r.describe());
            }
            console.out.println("Verdict:  " + verdict.text());
        }
        console.out.flush();
        if (junit != null) {
            writeJunit(junit, probe, behaviours, relayed, verdict);
        }
        int code = ExitCode.ofProbe(probe.failures());
        return code != ExitCode.OK ? code : verdict.ok() ? ExitCode.OK : ExitCode.FAILED;
    }

    /** The RFC 5780 tests for one stun: URL, within the timeout (each request is tried three times). */
    private NatBehaviour measure(IceServerUrl server, Duration timeout) {
        Duration perTry = timeout.dividedBy(12).compareTo(Duration.ofMillis(500)) < 0 ? timeout.dividedBy(12)
                : Duration.ofMillis(500);
        try {
            return NatBehaviour.measure(server.url(), new InetSocketAddress(server.host(), server.port()), perTry, 3);
        } catch (IOException e) {
            debug("NAT behaviour test against " + server.url() + " failed: " + e.getMessage());
            return new NatBehaviour(server.url(), null, null, NatBehaviour.Mapping.UNKNOWN,
                    NatBehaviour.Filtering.UNKNOWN);
        }
    }

    static ObjectNode json(ProbeReport probe, List<NatBehaviour> behaviours, List<RelayDataTest> relayed,
            DoctorVerdict verdict) {
        ObjectNode root = JsonDocument.create();
        ObjectNode p = ProbeJson.toJson(probe);
        p.remove("schema_version");
        root.set("probe", p);
        ArrayNode nat = root.putArray("nat");
        for (NatBehaviour b : behaviours) {
            ObjectNode n = nat.addObject().put("server", b.server());
            n.put("mapped", b.mapped() == null ? null : hostPort(b.mapped()));
            n.put("alternate", b.alternate() == null ? null : hostPort(b.alternate()));
            n.put("mapping", b.mapping().id()).put("filtering", b.filtering().id()).put("text", b.describe());
        }
        ArrayNode relays = root.putArray("relays");
        for (RelayDataTest r : relayed) {
            ObjectNode n = relays.addObject().put("url", r.url()).put("transport", r.transport()).put("ok", r.ok()).put("pings_sent", r.pingsSent())
                    .put("pings_answered", r.pingsAnswered());
            n.put("rtt_avg_ms", r.rttAvgMillis());
            n.put("bytes_per_second", r.bytesPerSecond() == null ? null : Math.round(r.bytesPerSecond()));
            n.put("error", r.error());
        }
        root.putObject("verdict").put("ok", verdict.ok()).put("text", verdict.text());
        return root;
    }

    private static String hostPort(InetSocketAddress a) {
        String ip = a.getAddress().getHostAddress();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }

    /** One test case per server, one per NAT test and the verdict; failures carry the reason. */
    private static void writeJunit(Path file, ProbeReport probe, List<NatBehaviour> behaviours,
            List<RelayDataTest> relayed, DoctorVerdict verdict) throws RtcatException {
        StringBuilder cases = new StringBuilder();
        int failures = 0;
        int count = 0;
        for (var r : probe.servers()) {
            count++;
            boolean ok = r.status().answered();
            failures += ok ? 0 : 1;
            cases.append(testCase("server " + r.server().url(), ok ? null : r.summary()));
        }
        for (NatBehaviour b : behaviours) {
            count++;
            cases.append(testCase("nat " + b.server(), null).replace("/>", "><system-out>" + xml(b.describe())
                    + "</system-out></testcase>"));
        }
        for (RelayDataTest r : relayed) {
            count++;
            failures += r.ok() ? 0 : 1;
            cases.append(testCase("relay " + r.transport() + " " + r.url(), r.error()));
        }
        count++;
        failures += verdict.ok() ? 0 : 1;
        cases.append(testCase("verdict", verdict.ok() ? null : verdict.text()));
        String doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"rtcat doctor\" tests=\"" + count
                + "\" failures=\"" + failures + "\">\n" + cases + "</testsuite>\n";
        try {
            ReportFile.replace(file, doc);
        } catch (IOException e) {
            throw new RtcatException(RtcatException.Kind.CANT_CREATE, "cannot write --junit " + file + ": "
                    + e.getMessage());
        }
    }

    private static String testCase(String name, String failure) {
        String head = "  <testcase classname=\"rtcat.doctor\" name=\"" + xml(name) + "\"";
        return failure == null ? head + "/>\n"
                : head + "><failure message=\"" + xml(failure) + "\"/></testcase>\n";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
