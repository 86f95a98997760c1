package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.signaling.ServerOptions;
import io.rtcat.signaling.SignalLoadTest;
import io.rtcat.signaling.SignalingServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

@Command(name = "signal", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Load-test a signaling server: many WebSocket clients, two per room, relaying offer/answer/candidate "
                    + "sized messages.",
            "",
            "Opens --clients clients (at most 64 handshakes at a time) and joins them two per room; then every "
                    + "pair plays ping-pong: offer and answer of ~3 KB, then ~200 B candidates, --messages per "
                    + "client, one message in flight per pair and all pairs at once. Each message carries its "
                    + "send time; the receiving client records the one-way latency through the server. --pace adds think "
                    + "time before each answer (ordinary sessions instead of a flood).",
            "",
            "Without --url an embedded server is started on 127.0.0.1 with no per-IP connection limit and no rate "
                    + "limit. Against `rtcat signal`, start it with --max-connections-per-ip 0 (or more than "
                    + "--clients) and --rate 0, or the extra clients are closed with 4429. Exit 1 if a client "
                    + "could not join or a message was lost.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat bench signal",
            "      2000 clients, embedded server",
            "  rtcat bench signal --clients 200 --messages 50 --json",
            "  rtcat bench signal --pace 100",
            "      each client answers after 100 ms",
            "  rtcat bench signal --url ws://127.0.0.1:8765/",
            "      a running rtcat signal (see scripts/bench-signal)",
            "  rtcat bench signal --urls-from-stdin --json < urls.txt",
            "      a round against the ws:// URL on each line, in one JVM, a JSON line each",
        })
final class BenchSignalCommand extends BaseCommand {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final int CONNECT_CONCURRENCY = 64;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "2000",
            converter = Clients.class,
            description = "WebSocket clients, an even number, two per room (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "20",
            converter = Messages.class,
            description = "Messages each client sends, answering its peer's (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--pace", paramLabel = "MS", defaultValue = "0",
            converter = Pace.class,
            description = "Wait this long before answering a message; 0 answers at once and saturates the server "
                    + "(default: ${DEFAULT-VALUE}).")
    int paceMillis;

    @Option(names = "--url", paramLabel = "URL",
            converter = PlainWsUrl.class,
            description = "ws:// URL of a running server (default: start one in this process on 127.0.0.1).")
    URI url;

    @Option(names = "--urls-from-stdin",
            description = "Read ws:// URLs from standard input, one per line, and run one round against each as it "
                    + "arrives, printing the round's result when it ends (with --json: one line). One load generator "
                    + "for many rounds, so that its own JIT compiler is done after the first ones; for scripts such "
                    + "as scripts/bench-signal.")
    boolean urlsFromStdin;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            converter = Converters.TimeoutSeconds.class,
            description = "Longest the connect phase, and again the relay phase, may take (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    int execute() throws RtcatException {
        if ((long) clients * messages > 50_000_000L) {
            throw UsageErrors.error("--clients x --messages is " + (long) clients * messages + ": at most 50000000");
        }
        if (urlsFromStdin) {
            if (url != null) {
                throw UsageErrors.error("--url and --urls-from-stdin: give one of them");
            }
            return roundsFromStdin();
        }
        SignalingServer embedded = null;
        URI target = url;
        if (target == null) {
            ServerOptions opts = ServerOptions.defaults().withMaxConnectionsPerIp(0).withMaxRoomsPerIp(0)
                    .withRateLimit(0, 1);
            embedded = SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), opts,
                    START_TIMEOUT);
            target = embedded.uri();
            note("rtcat bench signal: embedded server on " + target + " (no per-IP or rate limit)");
        }
        SignalLoadTest.Result r;
        try {
            r = round(target);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        print(r, target, false);
        return reportIncomplete(r) ? ExitCode.FAILED : ExitCode.OK;
    }

    /** One round per URL read from stdin, until end of input; exit 1 if any round was incomplete. */
    private int roundsFromStdin() throws RtcatException {
        BufferedReader in = new BufferedReader(new InputStreamReader(console.rawIn, StandardCharsets.UTF_8));
        boolean incomplete = false;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                URI target;
                try {
                    target = new PlainWsUrl().convert(line.strip());
                } catch (Converters.Invalid e) {
                    throw UsageErrors.error("--urls-from-stdin: " + line.strip() + ": " + e.getMessage());
                }
                SignalLoadTest.Result r = round(target);
                print(r, target, true);
                incomplete |= reportIncomplete(r);
                // Collect this round's garbage now, between rounds: the clients' socket buffers fill the old
                // generation, and a full collection inside the next round stalled every client (130-165 ms with the
                // serial collector of scripts/bench-signal's generator).
                System.gc();
            }
        } catch (IOException e) {
            throw new RtcatException(RtcatException.Kind.IO, "cannot read URLs from standard input: "
                    + e.getMessage());
        }
        return incomplete ? ExitCode.FAILED : ExitCode.OK;
    }

    private SignalLoadTest.Result round(URI target) throws RtcatException {
        note("rtcat bench signal: " + clients + " clients in " + clients / 2 + " rooms, " + messages
                + " messages each" + (paceMillis == 0 ? ", answered at once" : ", answered after " + paceMillis
                + " ms") + ", against " + target);
        return SignalLoadTest.run(new SignalLoadTest.Settings(target, clients, messages, CONNECT_CONCURRENCY,
                Duration.ofMillis(paceMillis), Duration.ofSeconds(timeoutSeconds)), this::note);
    }

    /** Says on stderr what a round missed; true if it missed something. */
    private boolean reportIncomplete(SignalLoadTest.Result r) {
        if (r.complete()) {
            return false;
        }
        console.err.println("rtcat: signaling benchmark incomplete: " + (r.firstError() == null
                ? r.received() + " of " + r.expected() + " messages arrived" : r.firstError()));
        console.err.flush();
        return true;
    }

    /** @param oneLine JSON on one line (a round of --urls-from-stdin), else pretty-printed */
    private void print(SignalLoadTest.Result r, URI target, boolean oneLine) {
        if (global.json) {
            ObjectNode doc = JsonDocument.create();
            doc.put("url", target.toString());
            doc.put("embedded_server", url == null);
            doc.put("clients", r.clients());
            doc.put("rooms", r.clients() / 2);
            doc.put("connected", r.connected());
            doc.put("connect_seconds", round(r.connectNanos() / 1e9));
            doc.put("messages_expected", r.expected());
            doc.put("messages_relayed", r.received());
            doc.put("relay_seconds", round(r.relayNanos() / 1e9));
            doc.put("messages_per_second", Math.round(r.messagesPerSecond()));
            doc.put("pace_ms", paceMillis);
            ObjectNode lat = doc.putObject("latency_ms");
            lat.put("p50", round(r.percentileNanos(0.50) / 1e6));
            lat.put("p95", round(r.percentileNanos(0.95) / 1e6));
            lat.put("p99", round(r.percentileNanos(0.99) / 1e6));
            lat.put("max", round(r.maxNanos() / 1e6));
            doc.put("errors", r.errors());
            if (r.firstError() != null) {
                doc.put("error", r.firstError());
            }
            console.out.println(oneLine ? doc.toString() : doc.toPrettyString());
        } else {
            console.out.printf(Locale.ROOT, "Clients:   %d of %d connected and joined (%d rooms) in %.2f s%n",
                    r.connected(), r.clients(), r.clients() / 2, r.connectNanos() / 1e9);
            console.out.printf(Locale.ROOT, "Messages:  %d of %d relayed in %.2f s: %.0f messages/s%n",
                    r.received(), r.expected(), r.relayNanos() / 1e9, r.messagesPerSecond());
            console.out.printf(Locale.ROOT, "Latency:   p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms "
                    + "(one way, client to client)%n", r.percentileNanos(0.50) / 1e6, r.percentileNanos(0.95) / 1e6,
                    r.percentileNanos(0.99) / 1e6, r.maxNanos() / 1e6);
            if (r.errors() > 0) {
                console.out.printf(Locale.ROOT, "Errors:    %d (first: %s)%n", r.errors(), r.firstError());
            }
        }
        console.out.flush();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static final class Clients implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            String reason = "must be an even number from 2 to 100000";
            int n = Converters.intIn(v, 2, 100_000, reason);
            if (n % 2 != 0) {
                throw new Converters.Invalid(reason);
            }
            return n;
        }
    }

    static final class Messages extends Converters.IntRange {
        Messages() {
            super(1, 100_000, "must be 1-100000");
        }
    }

    static final class Pace extends Converters.IntRange {
        Pace() {
            super(0, 60_000, "must be 0-60000 ms");
        }
    }

    /** ws://HOST:PORT/: the load generator speaks plain WebSocket only. */
    static final class PlainWsUrl implements ITypeConverter<URI> {
        @Override
        public URI convert(String v) {
            String reason = "must be ws://HOST:PORT/ (wss is not supported here)";
            try {
                URI url = new URI(v);
                if (!"ws".equals(url.getScheme()) || url.getHost() == null) {
                    throw new Converters.Invalid(reason);
                }
                return url;
            } catch (URISyntaxException e) {
                throw new Converters.Invalid(reason);
            }
        }
    }
}
