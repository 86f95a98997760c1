package io.rtcat.session;

import io.rtcat.errors.RtcatException;
import io.rtcat.signaling.TrackerClient;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@link TrackerRendezvous}'s sockets to its trackers: connecting, reconnecting after a hang-up (a few times), and
 * what each tracker's state is, for the error that names them all. Confined to the rendezvous' loop, like all its
 * state: every method runs there.
 */
final class TrackerConnections {

    private static final String CONNECTING = "connecting";
    private static final String CONNECTED = "connected";
    private static final String RECONNECTING = "reconnecting";

    /** What the rendezvous hears from here (on the loop). */
    interface Owner {
        /** The rendezvous has ended: nothing is (re)connected any more. */
        boolean over();

        /** {@code tracker} is connected: announce to it. */
        void connected(TrackerClient tracker);

        /** A tracker was given up: if none is left, waiting longer cannot help. */
        void trackerLost();
    }

    private final List<URI> trackers;
    private final String infoHash;
    private final String peerId;
    private final ScheduledExecutorService loop;
    private final Executor onLoop;
    private final Consumer<String> progress;
    private final TrackerClient.Listener events;
    private final Owner owner;
    private final Map<URI, TrackerClient> clients = new LinkedHashMap<>();
    private final Map<URI, String> state = new LinkedHashMap<>();
    private final Map<URI, String> refusals = new HashMap<>();
    private final Map<URI, Integer> reconnects = new HashMap<>();

    TrackerConnections(List<URI> trackers, String infoHash, String peerId, ScheduledExecutorService loop,
            Executor onLoop, Consumer<String> progress, TrackerClient.Listener events, Owner owner) {
        this.trackers = trackers;
        this.infoHash = infoHash;
        this.peerId = peerId;
        this.loop = loop;
        this.onLoop = onLoop;
        this.progress = progress;
        this.events = events;
        this.owner = owner;
    }

    void connectAll() {
        for (URI uri : trackers) {
            connect(uri);
        }
    }

    private void connect(URI uri) {
        if (owner.over()) {
            return;
        }
        state.put(uri, CONNECTING);
        try {
            TrackerClient c = TrackerClient.open(uri, infoHash, peerId, events);
            clients.put(uri, c);
            c.opened().whenComplete((ok, e) -> onLoop.execute(() -> {
                if (e != null) {
                    unreachable(uri, e.getCause() != null ? e.getCause() : e);
                } else if (!owner.over()) {
                    state.put(uri, CONNECTED);
                    progress.accept("tracker " + uri + ": connected; announcing swarm " + infoHash);
                    owner.connected(c);
                }
            }));
        } catch (RtcatException e) {
            state.put(uri, e.getMessage());
        }
    }

    /** The tracker could not be reached (reported once, whether by the failed open or the close after it). */
    private void unreachable(URI uri, Throwable e) {
        if (owner.over() || !CONNECTING.equals(state.get(uri))) {
            return;
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (reconnects.containsKey(uri)) {
            // We were connected before: a restarting tracker refuses connections for a while, so keep trying.
            connectAgain(uri, why);
            return;
        }
        state.put(uri, "unreachable: " + why);
        progress.accept("tracker " + uri + ": " + state.get(uri));
        owner.trackerLost();
    }

    /** After a hang-up, or after a reconnection that failed too: tries again later, at most MAX_RECONNECTS times. */
    private void connectAgain(URI uri, String why) {
        int n = reconnects.merge(uri, 1, Integer::sum);
        if (n > TrackerRendezvous.MAX_RECONNECTS) {
            state.put(uri, why);
            progress.accept("tracker " + uri + ": " + why + "; gave up after " + TrackerRendezvous.MAX_RECONNECTS
                    + " reconnections");
            owner.trackerLost();
            return;
        }
        state.put(uri, RECONNECTING);
        progress.accept("tracker " + uri + ": " + why + "; connecting again");
        loop.schedule(() -> connect(uri), TrackerRendezvous.RECONNECT_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The tracker refused a message of ours; its reason goes into the error if nothing works. */
    void refused(TrackerClient tracker, String reason) {
        refusals.put(tracker.uri(), reason);
        progress.accept("tracker " + tracker.uri() + " refused: " + reason);
    }

    /**
     * A socket closed: one that never opened is unreachable; one we were connected to hung up (public trackers
     * drop idle sockets), so connect again, a few times.
     */
    void closed(TrackerClient tracker, String reason) {
        URI uri = tracker.uri();
        if (clients.get(uri) != tracker) {
            return; // an earlier socket of a tracker we reconnected to
        }
        unreachable(uri, new RtcatException(RtcatException.Kind.UNAVAILABLE, reason));
        if (!owner.over() && CONNECTED.equals(state.get(uri))) {
            connectAgain(uri, "closed (" + reason + ")");
        }
    }

    /** Connected (or about to be): worth waiting for. */
    boolean anyUp() {
        return state.values().stream().anyMatch(s -> s.equals(CONNECTING) || s.equals(CONNECTED)
                || s.equals(RECONNECTING));
    }

    /** Sockets open now (for the periodic announce). */
    List<TrackerClient> open() {
        return clients.values().stream().filter(TrackerClient::isOpen).toList();
    }

    /** Sockets open and past their first announce (for an offer that is ready between two announces). */
    List<TrackerClient> ready() {
        return clients.values().stream().filter(c -> c.isOpen() && CONNECTED.equals(state.get(c.uri()))).toList();
    }

    /** Each tracker with its state, and what it refused if it did: for the error when nothing worked. */
    String list() {
        return state.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue()
                        + (refusals.containsKey(e.getKey()) ? ", refused: " + refusals.get(e.getKey()) : "") + ")")
                .collect(Collectors.joining(", "));
    }

    void closeAll() {
        for (TrackerClient c : clients.values()) {
            c.close();
        }
    }
}
