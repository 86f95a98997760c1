package io.rtcat.cli;

import io.rtcat.diagnostics.ProbeAnalysis;
import io.rtcat.diagnostics.ProbeFailure;
import io.rtcat.diagnostics.ProbeReport;
import io.rtcat.diagnostics.Prober;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.peer.PeerEngine;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "probe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Check STUN and TURN servers: gather ICE candidates with no remote peer and report them.",
            "",
            "Reports, per server, every candidate (type, protocol, address, related address, priority), the time "
                    + "to the first candidate and to gathering complete, and every server error as a plain "
                    + "sentence with a hint. With two STUN servers it also tells the NAT's mapping behaviour. "
                    + "--expect turns the probe into a CI check with one exit code per kind of failure.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat probe                                   host candidates only",
            "  rtcat probe --ice stun:stun.example.org --ice stun:stun.example.org:3479",
            "      NAT mapping",
            "  rtcat probe --ice turn:u:p@turn.example.org?transport=tcp --expect relay",
            "      CI check",
            "  rtcat probe --ice stun:203.0.113.2 --json | jq .mapping.result",
        })
final class ProbeCommand extends BaseCommand {

    @Mixin
    IceServerOptions ice;

    @Option(names = "--ipv6", description = "Also report IPv6 candidates (off by default).")
    boolean ipv6;

    @Option(names = "--expect", paramLabel = "TYPES", completionCandidates = CompletionValues.CandidateTypes.class,
            description = "Fail unless every server answers and these candidate types appear: a comma-separated "
                    + "list of host, srflx, relay. Exit codes 80-84 say what failed.")
    String expect;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", converter = Timeout.class,
            description = "Stop waiting for gathering after this long: 1-300 (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    int execute() throws RtcatException {
        List<String> types = ProbeAnalysis.parseExpect(expect);
        List<IceServerUrl> servers = ice.parse();
        PeerEngine engine = PeerEngine.shared();
        note("rtcat probe: gathering candidates" + (servers.isEmpty() ? " (no --ice server: host only)"
                : " with " + servers.size() + " server(s)") + ", up to " + timeoutSeconds + " s");
        ProbeReport report = Prober.run(engine,
                new Prober.Settings(servers, ipv6, Duration.ofSeconds(timeoutSeconds), types), this::debug);
        if (global.json) {
            console.out.println(ProbeJson.toJson(report).put("rtcat_version", BuildInfo.CURRENT.describe()).toPrettyString());
        } else {
            ProbeText.print(console.out, report);
        }
        console.out.flush();
        if (!report.ok()) {
            ProbeFailure.first(report.failures()).ifPresent(f -> {
                console.err.println("rtcat: " + f.message());
                if (f.hint() != null) {
                    console.err.println("hint: " + f.hint());
                }
                console.err.flush();
            });
        }
        return ExitCode.ofProbe(report.failures());
    }

    static final class Timeout extends Converters.IntRange {
        Timeout() {
            super(1, 300, "must be 1-300 seconds");
        }
    }
}
