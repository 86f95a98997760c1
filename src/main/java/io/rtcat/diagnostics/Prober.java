package io.rtcat.diagnostics;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.CandidateGatherer;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.peer.PeerEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs the gatherings of one probe concurrently, each on its own peer connection with no remote side:
 * <ul>
 *   <li>one with no server (host candidates and the time they take),</li>
 *   <li>one with every STUN server together, so that they share one local socket and their mapped addresses can
 *       be compared (NAT mapping behaviour),</li>
 *   <li>one per TURN server, so that relays and errors are attributed without guessing.</li>
 * </ul>
 * It waits for all of them to complete or for the timeout, whichever comes first, then closes them.
 */
public final class Prober {

    /** The probe's inputs: servers, --ipv6, --timeout and --expect. */
    public record Settings(List<IceServerUrl> servers, boolean ipv6, Duration timeout, List<String> expect) {
        public Settings {
            servers = List.copyOf(servers);
            expect = List.copyOf(expect);
        }
    }

    private Prober() {
    }

    public static ProbeReport run(PeerEngine engine, Settings settings, Consumer<String> debug)
            throws RtcatException {
        List<IceServerUrl> stuns = settings.servers().stream().filter(s -> !s.isTurn()).toList();
        Map<IceServerUrl, CandidateGatherer> turns = new LinkedHashMap<>();
        List<CandidateGatherer> all = new ArrayList<>();
        CandidateGatherer host = null;
        CandidateGatherer stunGroup = null;
        try {
            host = CandidateGatherer.start(engine, List.of(), settings.ipv6());
            all.add(host);
            if (!stuns.isEmpty()) {
                stunGroup = CandidateGatherer.start(engine, stuns, settings.ipv6());
                all.add(stunGroup);
            }
            for (IceServerUrl s : settings.servers()) {
                if (s.isTurn() && !turns.containsKey(s)) {
                    CandidateGatherer g = CandidateGatherer.start(engine, List.of(s), settings.ipv6());
                    turns.put(s, g);
                    all.add(g);
                }
            }
            debug.accept("gathering with " + all.size() + " peer connection(s), timeout "
                    + settings.timeout().toSeconds() + " s");
            await(all, settings.timeout());
            Map<IceServerUrl, Gathering> turnRuns = new LinkedHashMap<>();
            turns.forEach((s, g) -> turnRuns.put(s, toGathering(g.snapshot())));
            return ProbeAnalysis.analyze(settings.servers(), (int) settings.timeout().toSeconds(), settings.expect(),
                    toGathering(host.snapshot()), stunGroup == null ? null : toGathering(stunGroup.snapshot()),
                    turnRuns);
        } finally {
            all.forEach(CandidateGatherer::close);
        }
    }

    private static void await(List<CandidateGatherer> all, Duration timeout) throws RtcatException {
        CompletableFuture<?>[] futures = all.stream().map(CandidateGatherer::whenComplete)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(futures).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Reported per gathering: whatever had not completed shows as such.
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RtcatException r) {
                throw r;
            }
            throw new RtcatException(RtcatException.Kind.FAILED, "candidate gathering failed: " + e.getCause(),
                    null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted");
        }
    }

    static Gathering toGathering(CandidateGatherer.Snapshot s) {
        List<ProbeCandidate> candidates = s.candidates().stream()
                .map(c -> ProbeCandidate.parse(c.candidate(), c.serverUrl(), millis(c.elapsedNanos()))).toList();
        List<Gathering.RawError> errors = s.errors().stream()
                .map(e -> new Gathering.RawError(e.url(), e.code(), e.text(), millis(e.elapsedNanos()))).toList();
        return new Gathering(candidates, errors, s.completeNanos() == null ? null : millis(s.completeNanos()));
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
