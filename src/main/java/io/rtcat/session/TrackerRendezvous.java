package io.rtcat.session;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.signaling.TrackerClient;
import io.rtcat.signaling.TrackerMessages;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Meets the peer through public WebTorrent trackers, which relay WebRTC offers and answers between the peers of a
 * swarm and are trusted with nothing else. Both sides announce in the swarm named by the code's public nameplate
 * ({@link TrackerSwarm}), to every tracker at once.
 *
 * <p><b>Who offers.</b> Both sides put fresh offers into every announce. Trackers do not store offers: each goes,
 * at that moment, to a random other peer of the swarm, and is lost if there is none. So whichever side arrives
 * second reaches the first at once with its announce, whatever the role; the first side's offers, re-announced
 * every {@link #ANNOUNCE_EVERY}, reach a second side that has not offered yet (e.g. one whose ICE gathering is
 * slow). When both sides' offers cross, two attempts with the same peer may authenticate; the sender keeps the first
 * and says so on it ({@code use}, see {@link TrackerAttempt}), the receiver hands out only that one.
 *
 * <p><b>Strangers.</b> Someone else may announce the same nameplate (by chance, or to guess the code). Each attempt
 * runs its own PAKE; a failed one ends only that attempt, and the stranger's peer_id is then ignored. Each PAKE
 * that failed after our key confirmation went out is one online guess of the code's 16 secret bits, so a run allows
 * at most {@value #MAX_FAILED_PAKES} and then fails with {@value #PAKE_FAILED}: the chance that a guesser gets in
 * stays below 1 in 20,000 per run. A failed fingerprint binding (someone in the middle) ends the run at once.
 *
 * <p><b>Trackers.</b> Unreachable or failing trackers are silent unless nothing works; then the error names each.
 * Offers are de-duplicated by offer_id and answered through the tracker that delivered them; answers count only for
 * offer_ids we issued.
 */
public final class TrackerRendezvous implements Rendezvous {

    /** Each failed PAKE is one online guess at the code: after this many the run fails. */
    public static final int MAX_FAILED_PAKES = 3;
    public static final String PAKE_FAILED = "the PAKE failed (wrong code or interference)";
    static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(3);
    /** Unanswered offers kept ready; each is a peer connection with gathered candidates. */
    static final int OFFERS = 2;
    /** Attempts in progress at once (an offer flood must not exhaust ports and threads). */
    static final int MAX_ATTEMPTS = 8;
    /** How long an answered or accepted attempt has to authenticate. */
    static final Duration ATTEMPT_WAIT = Duration.ofSeconds(25);
    private static final int MAX_REMEMBERED_OFFERS = 4096;
    static final Duration RECONNECT_AFTER = Duration.ofSeconds(5);
    static final int MAX_RECONNECTS = 5;

    private final PeerEngine engine;
    private final PeerConfig config;
    private final ChannelOptions channel;
    private final List<URI> trackers;
    private final String secret;
    private final Role role;
    private final Duration timeout;
    private final Consumer<String> progress;
    private final String infoHash;
    private final String peerId;
    private final SecureRandom random = new SecureRandom();
    private final CompletableFuture<RemotePeer> result = new CompletableFuture<>();
    private final ScheduledExecutorService loop = Threads.scheduler("rtcat-tracker");

    /** Posts to the loop; after the end, late callbacks (closing sockets and peers) are dropped. */
    private final Executor onLoop = task -> {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException over) {
            // the rendezvous is over
        }
    };

    // All state below is touched only on the loop thread.
    private final TrackerConnections connections;
    /** Our offers not yet answered, with their SDP once gathered. */
    private final Map<TrackerAttempt, String> pending = new LinkedHashMap<>();
    private final Map<String, TrackerAttempt> offerIds = new HashMap<>();
    private final Set<String> seenOffers = new HashSet<>();
    private final Set<String> strangers = new HashSet<>();
    private final List<TrackerAttempt> engaged = new ArrayList<>();
    /** Offers we answered, by peer and SDP: the same offer may come again under another offer_id. */
    private final Map<String, TrackerAttempt> answering = new HashMap<>();
    private int failedPakes;
    private int offersDelivered;
    private String lastFailure;
    private boolean started;

    private TrackerRendezvous(PeerEngine engine, PeerConfig config, ChannelOptions channel, List<URI> trackers,
            String nameplate, String secret, Role role, Duration timeout, Consumer<String> progress) {
        this.engine = engine;
        this.config = config;
        this.channel = channel;
        this.trackers = List.copyOf(trackers);
        this.secret = secret;
        this.role = role;
        this.timeout = timeout;
        this.progress = progress;
        this.infoHash = TrackerSwarm.infoHash(nameplate);
        this.peerId = TrackerSwarm.randomId(random);
        this.connections = new TrackerConnections(this.trackers, infoHash, peerId, loop, onLoop, progress, new Events(),
                new TrackerConnections.Owner() {
                    @Override
                    public boolean over() {
                        return result.isDone();
                    }

                    @Override
                    public void connected(TrackerClient tracker) {
                        announce(tracker);
                    }

                    @Override
                    public void trackerLost() {
                        checkAllTrackersDown();
                    }
                });
    }

    /**
     * @param trackers  ws:// or wss:// URLs of WebTorrent trackers, all raced
     * @param nameplate the code's public number, as text (names the swarm)
     * @param secret    the code phrase's PAKE password ({@code CodePhrase.secret()})
     * @param role      {@link Role#OFFERER} for the sender (send, respond), {@link Role#ANSWERER} for the receiver
     * @param timeout   how long to look for the peer before failing
     * @param progress  short steps for verbose output
     */
    public static TrackerRendezvous create(PeerEngine engine, PeerConfig config, ChannelOptions channel,
            List<URI> trackers, String nameplate, String secret, Role role, Duration timeout,
            Consumer<String> progress) {
        if (trackers.isEmpty()) {
            throw new IllegalArgumentException("no trackers");
        }
        return new TrackerRendezvous(engine, config, channel, trackers, nameplate, secret, role, timeout, progress);
    }

    @Override
    public String name() {
        return trackers.size() == 1 ? "tracker " + trackers.get(0)
                : "trackers " + trackers.stream().map(URI::toString).collect(Collectors.joining(", "));
    }

    /** The swarm id the trackers see (derived from the nameplate only). */
    public String swarmId() {
        return infoHash;
    }

    @Override
    public synchronized CompletableFuture<RemotePeer> start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        loop.execute(this::begin);
        loop.scheduleWithFixedDelay(this::tick, ANNOUNCE_EVERY.toMillis(), ANNOUNCE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        loop.schedule(this::timedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return result;
    }

    private void begin() {
        connections.connectAll();
        topUpOffers();
        checkAllTrackersDown();
    }

    /** With every tracker gone and nothing in progress, waiting longer cannot help. */
    private void checkAllTrackersDown() {
        if (!connections.anyUp() && engaged.isEmpty()) {
            finish(new RtcatException(RtcatException.Kind.UNAVAILABLE, "cannot reach any tracker: " + trackerList(),
                    "check the tracker URLs (RTCAT_TRACKERS) and the network"));
        }
    }

    private void tick() {
        if (result.isDone()) {
            return;
        }
        topUpOffers();
        for (TrackerClient c : connections.open()) {
            announce(c);
        }
    }

    private void topUpOffers() {
        while (!result.isDone() && pending.size() < OFFERS) {
            CompletableFuture<String> sdp = new CompletableFuture<>();
            try {
                TrackerAttempt a = TrackerAttempt.offer(engine, config, channel, secret, role, onLoop, new Outcomes(), sdp);
                pending.put(a, null);
                sdp.whenComplete((s, e) -> onLoop.execute(() -> {
                    if (e != null) {
                        pending.remove(a);
                        a.close();
                        lastFailure = "cannot create an offer: " + e.getMessage();
                    } else if (pending.containsKey(a)) {
                        pending.put(a, s);
                        // out at once, not at the next tick: a peer already waiting in the swarm gets it now
                        for (TrackerClient c : connections.ready()) {
                            announce(c, Map.of(a, s));
                        }
                    }
                }));
            } catch (RtcatException e) {
                finish(e);
                return;
            }
        }
    }

    /** Announces with every ready offer, each under a fresh offer_id (an old one may have been used up). */
    private void announce(TrackerClient c) {
        announce(c, pending);
    }

    private void announce(TrackerClient c, Map<TrackerAttempt, String> which) {
        List<TrackerMessages.Offer> offers = new ArrayList<>();
        which.forEach((a, sdp) -> {
            if (sdp != null) {
                String id = TrackerSwarm.randomId(random);
                offerIds.put(id, a);
                offers.add(new TrackerMessages.Offer(id, sdp));
            }
        });
        c.announce(offers);
    }

    private void onOffer(TrackerClient via, TrackerMessages.Event e) {
        if (result.isDone() || strangers.contains(e.peerId()) || !seenOffers.add(e.offerId())) {
            return; // over, a peer whose PAKE failed, or the same offer through another tracker
        }
        if (seenOffers.size() > MAX_REMEMBERED_OFFERS) {
            seenOffers.clear();
        }
        engaged.removeIf(TrackerAttempt::isOver);
        answering.values().removeIf(TrackerAttempt::isOver);
        TrackerAttempt same = answering.get(e.peerId() + "\n" + e.sdp());
        if (same != null) {
            same.answerAlso(via, e.offerId()); // our first answer may have been lost by another tracker
            return;
        }
        if (engaged.size() >= MAX_ATTEMPTS || engaged.stream().anyMatch(a -> e.peerId().equals(a.remotePeerId()))) {
            return; // busy, or already connecting to that peer
        }
        offersDelivered++;
        progress.accept("offer from peer " + e.peerId() + " via " + via.uri() + "; answering");
        try {
            TrackerAttempt a = TrackerAttempt.answer(engine, config, channel, secret, role, onLoop, new Outcomes(), via,
                    e.peerId(), e.offerId(), e.sdp());
            answering.put(e.peerId() + "\n" + e.sdp(), a);
            engage(a);
        } catch (RtcatException ex) {
            finish(ex);
        }
    }

    private void onAnswer(TrackerClient via, TrackerMessages.Event e) {
        TrackerAttempt a = offerIds.get(e.offerId());
        if (result.isDone() || a == null || !pending.containsKey(a) || strangers.contains(e.peerId())) {
            return; // not an offer of ours, already answered, or from a peer whose PAKE failed
        }
        pending.remove(a);
        offerIds.values().removeIf(x -> x == a);
        offersDelivered++;
        progress.accept("answer from peer " + e.peerId() + " via " + via.uri());
        a.answered(via, e.peerId(), e.sdp());
        engage(a);
        topUpOffers();
    }

    private void engage(TrackerAttempt a) {
        engaged.add(a);
        loop.schedule(() -> {
            if (!a.isOver() && !result.isDone()) {
                a.close();
                lastFailure = "a connection attempt with peer " + a.remotePeerId() + " did not authenticate within "
                        + ATTEMPT_WAIT.toSeconds() + " s";
                engaged.remove(a);
            }
        }, ATTEMPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private final class Outcomes implements TrackerAttempt.Outcome {
        @Override
        public void authenticated(TrackerAttempt a) {
            progress.accept("peer " + a.remotePeerId() + " proved the code; fingerprints bound");
            if (role == Role.OFFERER && !result.isDone()
                    && engaged.stream().noneMatch(x -> x != a && x.isAuthenticated() && !x.isOver())) {
                a.choose();
            }
        }

        @Override
        public void established(TrackerAttempt a) {
            engaged.remove(a);
            if (result.isDone()) {
                a.close();
                return;
            }
            progress.accept("connected to peer " + a.remotePeerId() + " via " + a.via().uri());
            Connection c = a.connection();
            if (!result.complete(RemotePeer.of(c, config, null))) {
                c.close();
            }
            shutDown();
        }

        @Override
        public void failed(TrackerAttempt a, String why, boolean guessSpent, boolean tampered) {
            engaged.remove(a);
            pending.remove(a);
            a.close();
            if (result.isDone()) {
                return;
            }
            String who = a.remotePeerId() == null ? "an offer" : "peer " + a.remotePeerId();
            progress.accept(who + ": " + why);
            lastFailure = why;
            if (tampered) {
                finish(new RtcatException(RtcatException.Kind.FAILED, why,
                        "nothing was transferred; try again, or use other trackers"));
                return;
            }
            if (guessSpent) {
                failedPakes++;
                if (a.remotePeerId() != null) {
                    strangers.add(a.remotePeerId());
                }
                if (failedPakes >= MAX_FAILED_PAKES) {
                    finish(new RtcatException(RtcatException.Kind.FAILED, PAKE_FAILED + ": " + failedPakes
                            + " peers in the swarm did not know the code",
                            "check the code with the other person and start again on both sides"));
                    return;
                }
            }
            topUpOffers();
        }
    }

    private final class Events implements TrackerClient.Listener {
        @Override
        public void onEvent(TrackerClient tracker, TrackerMessages.Event event) {
            onLoop.execute(() -> {
                if (event.kind() == TrackerMessages.Event.Kind.OFFER) {
                    onOffer(tracker, event);
                } else {
                    onAnswer(tracker, event);
                }
            });
        }

        @Override
        public void onFailure(TrackerClient tracker, String reason) {
            onLoop.execute(() -> connections.refused(tracker, reason));
        }

        @Override
        public void onClosed(TrackerClient tracker, String reason) {
            onLoop.execute(() -> connections.closed(tracker, reason));
        }
    }

    /** A peer that failed the PAKE is what the user needs to hear about (a typo in the code), not the clock. */
    private void timedOut() {
        if (failedPakes > 0) {
            finish(new RtcatException(RtcatException.Kind.FAILED, PAKE_FAILED + " with " + failedPakes
                    + " peer(s), and no peer with the code came within " + timeout.toSeconds() + " s via "
                    + trackerList(), hint()));
        } else {
            finish(new RtcatException(RtcatException.Kind.TIMEOUT, "no peer " + summary(), hint()));
        }
    }

    private String summary() {
        String what = lastFailure != null ? " (last problem: " + lastFailure + ")"
                : offersDelivered == 0 ? " (nobody else announced the nameplate)" : "";
        return "authenticated within " + timeout.toSeconds() + " s via " + trackerList() + what;
    }

    private String hint() {
        return failedPakes > 0 ? "check the code with the other person and start again on both sides"
                : "check that the other side runs with the same code and the same trackers, or raise --timeout";
    }

    private String trackerList() {
        return connections.list();
    }

    private void finish(RtcatException e) {
        if (result.completeExceptionally(e)) {
            shutDown();
        }
    }

    /** On the loop: frees every attempt and tracker socket (a handed-out peer is not among them any more). */
    private void shutDown() {
        for (TrackerAttempt a : pending.keySet()) {
            a.close();
        }
        pending.clear();
        for (TrackerAttempt a : engaged) {
            a.close();
        }
        engaged.clear();
        answering.clear();
        connections.closeAll();
        loop.shutdownNow();
    }

    @Override
    public void close() {
        onLoop.execute(() -> finish(new RtcatException(RtcatException.Kind.INTERRUPTED, "tracker rendezvous closed")));
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
