package io.rtcat.session;

import io.rtcat.stats.ConnectTimings;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.session.pake.FingerprintBinding;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.IceCandidate;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.peer.PeerEvents;
import io.rtcat.peer.SessionDescription;
import io.rtcat.signaling.SignalMessage;
import io.rtcat.signaling.SignalingClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One connection attempt: joins a signaling room, runs offer/answer with trickled candidates and waits,
 * within a deadline, until the data channel is open.
 *
 * <pre>
 *   offerer                      signaling room                     answerer
 *     | join, create channel          |                                 |
 *     | offer (untargeted) ---------> |            join                 |
 *     |                 user-joined <-|-------------------------------- |
 *     | offer + candidates (target) ->|-------------------------------> | setRemote, answer
 *     |                               |<-------- answer + candidates -- |
 *     | setRemote                     |                                 |
 *     |========== ICE, DTLS, SCTP: data channel open ===================|
 * </pre>
 *
 * The tutorial signaling server never tells a newcomer who is already in the room, so the offerer sends
 * its offer at once and again, targeted, to each newcomer until answered; the answerer answers the first
 * offer and ignores repeats. Candidates that arrive early are queued by {@link Peer}.
 */
public final class Handshake {

    private final SignalingClient signaling;
    private final Role role;
    private final Consumer<String> progress;
    private final List<IceCandidate> localCandidates = new CopyOnWriteArrayList<>();
    private final List<String> iceServerErrors = new CopyOnWriteArrayList<>();
    private final CompletableFuture<MessageChannel> failure = new CompletableFuture<>();
    private volatile String remoteUser;
    private volatile boolean described;
    private volatile boolean offerAccepted;
    private volatile boolean iceConnected;
    private volatile MessageChannel established;
    private boolean signalingDiesWithPeer;
    private String pinnedFingerprint;
    private Consumer<String> localFingerprint;
    private Peer peer;
    private PakeAuthenticator auth;
    private volatile SessionDescription sentOffer;
    private final CompletableFuture<Void> peerArrived = new CompletableFuture<>();
    /**
     * Messages that came before our side of the PAKE finished. The PAKE's last round is computed off the
     * WebSocket thread, so the peer (done first) may send its offer while our key is still being computed;
     * they are handled, in order, once it is there. Guarded by {@code this}; null once replayed.
     */
    private List<SignalMessage> beforeKey = new ArrayList<>();
    private static final int MAX_BEFORE_KEY = 512;
    /** Signaling message of a side interrupted before the data channel opened: {@code {"type":"cancel"}}. */
    static final String CANCEL = "cancel";
    private Duration patience;
    private volatile PeerConfig effectiveConfig;
    /** The server's {@code joined} was read before the peer existed (its ICE servers are in the peer's config). */
    private boolean joinAcknowledged;
    /**
     * Longest wait for the {@code joined} of a server that promised one (rtcat's own answers at once); other
     * servers are not waited for at all.
     */
    private static final Duration JOIN_ACK_WAIT = Duration.ofSeconds(5);
    private volatile long describedNanos;
    private volatile long connectedNanos;

    /**
     * @param progress receives short human-readable steps ("offer sent", "ice: checking"...) for verbose output
     */
    public Handshake(SignalingClient signaling, Role role, Consumer<String> progress) {
        this.signaling = signaling;
        this.role = role;
        this.progress = progress;
    }

    /**
     * Authenticates the peer with a code phrase (J-PAKE) and binds its DTLS fingerprint to it; the
     * connection is only returned once both hold.
     */
    public Handshake withCodePhrase(String secret) {
        this.auth = new PakeAuthenticator(secret, role, signaling, this::fail, progress);
        return this;
    }

    /**
     * Accepts only a peer whose DTLS certificate has this fingerprint ({@code sha-256 AB:CD:...} or just
     * the hex): authentication for plain rooms, where there is no code phrase.
     */
    public Handshake withPinnedFingerprint(String fingerprint) {
        String fp = fingerprint.strip();
        this.pinnedFingerprint = (fp.contains(" ") ? fp.substring(fp.indexOf(' ') + 1) : fp).toUpperCase(Locale.ROOT);
        return this;
    }

    /** Receives our own DTLS fingerprint once it exists, so the user can give it to the other side to pin. */
    public Handshake onLocalFingerprint(Consumer<String> listener) {
        this.localFingerprint = listener;
        return this;
    }

    private void announceFingerprint(SessionDescription local) {
        if (localFingerprint == null) {
            return;
        }
        try {
            localFingerprint.accept(FingerprintBinding.fingerprints(local.sdp()).get(0));
        } catch (RtcatException e) {
            fail(e);
        }
    }

    /**
     * The signaling server runs inside the peer's process (`rtcat send`'s embedded one), so losing it
     * means the peer is gone.
     */
    public Handshake signalingDiesWithPeer() {
        this.signalingDiesWithPeer = true;
        return this;
    }

    /**
     * Waits up to {@code patience} for a peer to show up (its offer, or its PAKE with a code phrase) and only then
     * starts the connect timeout; when nobody comes, {@link #connect} throws {@link NoPeerCame}.
     */
    public Handshake waitForPeerUpTo(Duration patience) {
        this.patience = patience;
        return this;
    }

    /** Connects; on failure closes the peer and throws with a message that says which step failed. */
    public Connection connect(PeerEngine engine, PeerConfig config, ChannelOptions channelOptions, String room,
            String userId, Duration timeout) throws RtcatException {
        return connect(engine, config, channelOptions, room, userId, timeout, System.nanoTime());
    }

    /**
     * As {@link #connect(PeerEngine, PeerConfig, ChannelOptions, String, String, Duration)}, with the
     * connect time counted from {@code startNanos} (e.g. before the signaling socket was opened).
     */
    public Connection connect(PeerEngine engine, PeerConfig config, ChannelOptions channelOptions, String room,
            String userId, Duration timeout, long startNanos) throws RtcatException {
        long start = startNanos;
        long deadline = System.nanoTime() + (patience != null ? patience : timeout).toNanos();
        // Join first: the server's answer may carry TURN credentials the peer must be created with.
        signaling.join(room, userId);
        if (auth != null) {
            // At once, not after the join's answer: on a server that never answers, the peer's reply to this
            // round is what ends the wait below. (Messages are kept in `early` until the listener runs.)
            auth.start();
        }
        List<SignalMessage> early = new ArrayList<>();
        try {
            effectiveConfig = config.withMoreIceServers(awaitJoined(early, deadline));
            effectiveConfig.validate();
        } catch (RtcatException | RuntimeException e) {
            if (auth != null) {
                auth.close();
            }
            throw e;
        }
        peer = engine.newPeer(effectiveConfig, new Events());
        try {
            if (auth != null) {
                // Before any message is handled: the other side's round 1 may already be queued.
                auth.key().thenRun(this::replayBeforeKey);
            }
            CompletableFuture<MessageChannel> channel;
            if (role == Role.OFFERER || channelOptions.negotiatedId() != null) {
                MessageChannel ch = peer.openChannel(channelOptions);
                channel = Peer.whenOpen(ch);
            } else {
                channel = peer.incomingChannel();
            }
            for (SignalMessage m : early) {
                handle(m); // in order, before anything the listener below receives
            }
            signaling.setListener(new SignalingClient.Listener() {
                @Override
                public void onMessage(SignalMessage message) {
                    handle(message);
                }

                @Override
                public void onClosed(int code, String reason) {
                    // 1001: the server is draining (rtcat signal got SIGTERM), not a network failure
                    fail(new RtcatException(RtcatException.Kind.UNAVAILABLE, (code == 1001
                            ? "the signaling server shut down" : "signaling connection closed")
                            + " before the peer connected (" + code + " " + reason + ")"));
                    if (signalingDiesWithPeer) {
                        hangUp("the peer's signaling server went away");
                    }
                }
            });
            if (auth != null) {
                awaitPeer(CompletableFuture.anyOf(auth.key(), failure), deadline);
                remoteUser = auth.peer();
            } else if (patience != null && role == Role.ANSWERER) {
                // (an offerer's peer arrives by answering its offer, so it has nothing to wait for here)
                awaitPeer(CompletableFuture.anyOf(peerArrived, failure), deadline);
            }
            if (patience != null) {
                deadline = System.nanoTime() + timeout.toNanos();
            }
            if (role == Role.OFFERER) {
                SessionDescription offer = await(peer.createOffer(), deadline, "creating the offer");
                sentOffer = offer;
                announceFingerprint(offer);
                signaling.send(SignalMessage.offer(offer.type(), offer.sdp(), remoteUser));
                progress.accept("offer sent to room " + room);
            }
            MessageChannel open = await(CompletableFuture.anyOf(channel, failure).thenApply(o -> (MessageChannel) o),
                    deadline, this::waitingFor);
            if (auth != null) {
                await(CompletableFuture.anyOf(auth.verified(), failure), deadline,
                        () -> "waiting for the peer to prove it knows the code");
            }
            ConnectTimings timings = ConnectTimings.of(start, describedNanos, connectedNanos, System.nanoTime());
            established = open;
            return new Connection(peer, open, remoteUser, timings);
        } catch (RtcatException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()
                    || e instanceof RtcatException r && r.kind() == RtcatException.Kind.INTERRUPTED) {
                tellPeerCancelled();
            }
            peer.close();
            throw e;
        } finally {
            if (auth != null) {
                auth.close();
            }
        }
    }

    /** The config the peer was created with: the caller's plus any ICE servers the signaling server offered. */
    public PeerConfig effectiveConfig() {
        return effectiveConfig;
    }

    /**
     * Reads messages until the server acknowledges the join (or refuses it), keeping everything for
     * {@link #handle}; returns the ICE servers offered in the acknowledgement. rtcat's server sends
     * {@code joined} before anything it relays, so a relayed message arriving first means a server that never
     * acknowledges: then there is nothing to wait for. A server that does not say in its handshake that it
     * acknowledges joins is not waited for at all ({@link #onLateJoined} takes a {@code joined} that comes anyway).
     */
    private List<IceServerUrl> awaitJoined(List<SignalMessage> early, long deadline) throws RtcatException {
        if (!signaling.acknowledgesJoins()) {
            // Not rtcat's server: it may never send `joined` (the tutorial one does not), so waiting could
            // only cost time. A `joined` that comes anyway is taken by onLateJoined.
            progress.accept("the signaling server does not promise to acknowledge the join; starting at once");
            return List.of();
        }
        long until = Math.min(deadline, System.nanoTime() + JOIN_ACK_WAIT.toNanos());
        while (true) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                progress.accept("the signaling server did not acknowledge the join; going on without its ICE servers");
                return List.of();
            }
            SignalMessage m;
            try {
                m = signaling.receive(Duration.ofNanos(left));
            } catch (RtcatException e) {
                if (e.kind() == RtcatException.Kind.TIMEOUT) {
                    continue;
                }
                throw e;
            }
            early.add(m);
            if (m.type().equals(SignalMessage.JOINED)) {
                joinAcknowledged = true;
                return ServerIceServers.from(m, progress);
            }
            if (m.type().equals(SignalMessage.ERROR)) {
                return List.of(); // handled (as a failure) once the listener runs
            }
            progress.accept("the signaling server relays without acknowledging the join; going on without "
                    + "its ICE servers");
            return List.of();
        }
    }

    private void awaitPeer(CompletableFuture<Object> arrival, long deadline) throws RtcatException {
        try {
            await(arrival, deadline, this::waitingFor);
        } catch (RtcatException e) {
            if (patience != null && e.kind() == RtcatException.Kind.TIMEOUT) {
                throw new NoPeerCame("nobody came within " + patience.toSeconds() + " s");
            }
            throw e;
        }
    }

    private String waitingFor() {
        if (localCandidates.isEmpty() && peer.localDescription() != null) {
            return "gathering candidates: no ICE server answered";
        }
        if (auth != null && !auth.key().isDone()) {
            return auth.peer() == null ? "waiting for the other side to join"
                    : "checking the code phrase with the other side";
        }
        if (remoteUser == null) {
            return role == Role.OFFERER ? "waiting for the other peer to join" : "waiting for an offer";
        }
        return "connecting to the peer (ICE/DTLS)";
    }

    /**
     * Interrupted before the data channel opened (e.g. during the PAKE): there is no channel for the in-band
     * cancel yet, so the peer we were meeting is told through the room and stops at once instead of timing out.
     */
    private void tellPeerCancelled() {
        String to = knownPeer();
        if (to == null) {
            return; // nobody met yet: nobody waits for us
        }
        try {
            signaling.send(SignalMessage.of(CANCEL).with("reason", "interrupted").with("target", to));
        } catch (RtcatException | RuntimeException e) {
            // best effort: the signaling connection may already be gone, and then the peer hears that instead
        }
    }

    /** The peer this meeting is with, as far as known: the PAKE's other side, or whoever answered or offered. */
    private String knownPeer() {
        String pakePeer = auth != null ? auth.peer() : null;
        return pakePeer != null ? pakePeer : remoteUser;
    }

    /** A cancel from the peer we are meeting (no one else's counts): it was interrupted, so stop at once. */
    private boolean peerCancelled(SignalMessage message) {
        if (!message.type().equals(CANCEL) || message.sender() == null || !message.sender().equals(knownPeer())) {
            return false;
        }
        String reason = message.get("reason");
        fail(new RtcatException(RtcatException.Kind.PEER_CANCELLED, "the " + roleOf(message.sender())
                + " cancelled: " + (reason == null ? "cancelled" : printable(reason))));
        return true;
    }

    /** What the peer is, from its user id's prefix (send-..., receive-..., check-..., respond-...). */
    static String roleOf(String userId) {
        String prefix = userId.contains("-") ? userId.substring(0, userId.indexOf('-')) : "";
        return switch (prefix) {
            case "send" -> "sender";
            case "receive" -> "receiver";
            case "check" -> "checker";
            case "respond" -> "responder";
            default -> "peer";
        };
    }

    /** The peer's text, safe for one terminal line: no control characters, at most 100 characters. */
    static String printable(String text) {
        String clean = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }

    private void handle(SignalMessage message) {
        if (peerCancelled(message)) {
            return;
        }
        if (message.type().equals(SignalMessage.JOINED)) {
            onLateJoined(message);
            return; // the server's own note, never the peer's business
        }
        if (auth != null) {
            if (auth.handle(message)) {
                return;
            }
            boolean roomEvent = message.type().equals("user-joined") || message.type().equals("user-left")
                    || message.type().equals("error");
            if (!roomEvent && keptUntilKey(message)) {
                return;
            }
            // Before the PAKE succeeded nothing else is trusted; afterwards only the authenticated peer.
            boolean fromPeer = auth.peer() != null && auth.peer().equals(message.sender());
            if (!roomEvent && !(auth.key().isDone() && fromPeer)) {
                return;
            }
        }
        dispatch(message);
    }

    /** Before the key exists, keeps {@code message} for {@link #replayBeforeKey} and returns true. */
    private boolean keptUntilKey(SignalMessage message) {
        synchronized (this) {
            if (beforeKey == null) {
                return false;
            }
            if (beforeKey.size() < MAX_BEFORE_KEY) {
                beforeKey.add(message);
            }
            return true;
        }
    }

    /**
     * Runs (on the PAKE's thread) once the key exists: handles what was kept, in order. Holding the lock
     * makes a message arriving meanwhile wait, so it cannot overtake the ones kept before it.
     */
    private synchronized void replayBeforeKey() {
        List<SignalMessage> kept = beforeKey;
        beforeKey = null;
        for (SignalMessage m : kept) {
            if (auth.peer() != null && auth.peer().equals(m.sender())) {
                dispatch(m);
            }
        }
    }

    private void dispatch(SignalMessage message) {
        try {
            switch (message.type()) {
                case "user-joined" -> onUserJoined(message.userId());
                case "offer" -> onOffer(message);
                case "answer" -> onAnswer(message);
                case "ice-candidate" -> onCandidate(message);
                case "user-left" -> {
                    if (message.userId() != null && message.userId().equals(remoteUser)) {
                        fail(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                                "the peer left before the connection was established"));
                        hangUp("the peer left the signaling room");
                    }
                }
                case "error" -> fail(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                        "signaling server refused: " + message.errorMessage()
                                + (message.code() == null ? "" : " (" + message.code() + ")")));
                default -> {
                    // Forward compatible: ignore message types we do not know.
                }
            }
        } catch (RtcatException e) {
            fail(e);
        }
    }

    /**
     * A {@code joined} from a server that did not promise one: its ICE servers are used if the peer has not
     * started gathering yet (an answerer still waiting for the offer), and otherwise said to be unused.
     */
    private void onLateJoined(SignalMessage message) {
        if (joinAcknowledged || message.sender() != null) {
            return; // already applied, or relayed from a member rather than said by the server
        }
        joinAcknowledged = true;
        List<IceServerUrl> servers = ServerIceServers.from(message, progress);
        if (servers.isEmpty()) {
            return;
        }
        try {
            if (peer.addIceServers(servers)) {
                effectiveConfig = effectiveConfig.withMoreIceServers(servers);
                progress.accept("using the " + servers.size() + " ICE server(s) the signaling server handed out late");
            } else {
                progress.accept("the signaling server handed out ICE servers after candidate gathering began; "
                        + "not used (pass them with --ice)");
            }
        } catch (RtcatException e) {
            fail(e);
        }
    }

    private void onUserJoined(String user) throws RtcatException {
        if (auth != null && user != null) {
            auth.newcomer(user);
            return; // the offer goes out only after the PAKE, directly to the authenticated peer
        }
        if (role != Role.OFFERER || described || user == null) {
            return;
        }
        SessionDescription offer = peer.localDescription();
        if (offer == null) {
            return; // the untargeted offer has not gone out yet; it will reach the newcomer
        }
        progress.accept("peer " + user + " joined; offering");
        signaling.send(SignalMessage.offer(offer.type(), offer.sdp(), user));
        for (IceCandidate c : localCandidates) {
            sendCandidate(c, user);
        }
    }

    /** With a pinned fingerprint, refuses a description that carries any other. */
    private boolean pinnedFingerprintMatches(String remoteSdp) {
        if (pinnedFingerprint == null) {
            return true;
        }
        try {
            for (String fp : FingerprintBinding.fingerprints(remoteSdp)) {
                if (!fp.substring(fp.indexOf(' ') + 1).equals(pinnedFingerprint)) {
                    fail(new RtcatException(RtcatException.Kind.FAILED, "the peer's DTLS fingerprint " + fp
                            + " is not the pinned one; aborted", "check --fingerprint against what the peer shows"));
                    return false;
                }
            }
            return true;
        } catch (RtcatException e) {
            fail(e);
            return false;
        }
    }

    private void onOffer(SignalMessage message) {
        if (role != Role.ANSWERER || offerAccepted) {
            return; // repeats of the same offer
        }
        if (!pinnedFingerprintMatches(message.sdp())) {
            return;
        }
        offerAccepted = true;
        remoteUser = message.sender();
        peerArrived.complete(null);
        progress.accept("offer received from " + remoteUser);
        peer.acceptOffer(new SessionDescription(message.sdpType(), message.sdp())).whenComplete((answer, e) -> {
            if (e != null) {
                fail(Futures.unwrap(e));
                return;
            }
            try {
                signaling.send(SignalMessage.answer(answer.type(), answer.sdp(), remoteUser));
                describedNanos = System.nanoTime();
                described = true;
                announceFingerprint(answer);
                if (auth != null) {
                    auth.descriptionsApplied(message.sdp(), answer.sdp());
                }
                for (IceCandidate c : localCandidates) {
                    sendCandidate(c, remoteUser);
                }
                progress.accept("answer sent");
            } catch (RtcatException ex) {
                fail(ex);
            }
        });
    }

    private void onAnswer(SignalMessage message) {
        if (role != Role.OFFERER || described) {
            return;
        }
        if (!pinnedFingerprintMatches(message.sdp())) {
            return;
        }
        described = true;
        remoteUser = message.sender();
        peerArrived.complete(null);
        progress.accept("answer received from " + remoteUser);
        peer.acceptAnswer(new SessionDescription(message.sdpType(), message.sdp())).whenComplete((v, e) -> {
            describedNanos = System.nanoTime();
            if (e != null) {
                fail(Futures.unwrap(e));
            } else if (auth != null) {
                auth.descriptionsApplied(sentOffer.sdp(), message.sdp());
            }
        });
    }

    private void onCandidate(SignalMessage message) {
        if (remoteUser != null && message.sender() != null && !remoteUser.equals(message.sender())) {
            return; // from a third party in the room
        }
        peer.addRemoteCandidate(new IceCandidate(message.candidate(), message.sdpMid(), message.sdpMLineIndex()));
    }

    private void sendCandidate(IceCandidate c, String target) throws RtcatException {
        signaling.send(SignalMessage.iceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex(),
                c.usernameFragment(), target));
    }

    /**
     * After the connection is up, the peer's signaling socket dropping (e.g. its process was killed)
     * is the fastest sign that it is gone: ICE takes ~17 s to declare the path failed. The signaling socket
     * is also faster than the data channel, so what the peer sent just before it left (its cancel, its
     * batch-done) may still be on its way: the channel is closed only if it is still open a moment later (an
     * orderly end closes it first).
     */
    private void hangUp(String why) {
        MessageChannel channel = established;
        if (channel != null) {
            progress.accept(why + "; closing the data channel in " + HANG_UP_GRACE.toMillis() + " ms unless it ends first");
            CompletableFuture.delayedExecutor(HANG_UP_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(channel::close);
        }
    }

    /** Time for data the peer sent before leaving the room to arrive; far below ICE's ~17 s failure detection. */
    private static final Duration HANG_UP_GRACE = Duration.ofSeconds(2);

    private void fail(Throwable error) {
        failure.completeExceptionally(error);
    }

    private <T> T await(CompletableFuture<T> future, long deadlineNanos, String step) throws RtcatException {
        return await(future, deadlineNanos, () -> step);
    }

    private <T> T await(CompletableFuture<T> future, long deadlineNanos, Supplier<String> step)
            throws RtcatException {
        try {
            return Futures.await(future, deadlineNanos - System.nanoTime(), step);
        } catch (RtcatException e) {
            if (e.kind() != RtcatException.Kind.TIMEOUT) {
                throw e;
            }
            String serverError = iceServerErrors.isEmpty() ? "" : " (" + iceServerErrors.get(0) + ")";
            throw new RtcatException(RtcatException.Kind.TIMEOUT, e.getMessage() + serverError,
                    "check that both sides can reach each other, or raise --timeout");
        }
    }

    private final class Events implements PeerEvents {
        @Override
        public void onLocalCandidate(IceCandidate candidate) {
            localCandidates.add(candidate);
            // The offerer trickles to the whole room until it knows its peer; the answerer only after its
            // answer went out, because a candidate must not overtake the answer it belongs to.
            String target = remoteUser;
            if (role == Role.ANSWERER && !described) {
                return;
            }
            try {
                sendCandidate(candidate, target);
            } catch (RtcatException e) {
                fail(e);
            }
        }

        @Override
        public void onIceState(String state) {
            progress.accept("ice: " + state);
            if (state.equals("connected") || state.equals("completed")) {
                iceConnected = true;
            }
        }

        @Override
        public void onConnectionState(String state) {
            progress.accept("connection: " + state);
            if (state.equals("connected") && connectedNanos == 0) {
                connectedNanos = System.nanoTime();
            }
            if (!state.equals("failed")) {
                return;
            }
            hangUp("the connection failed");
            RtcatException failed = iceConnected
                    ? new RtcatException(RtcatException.Kind.UNAVAILABLE,
                            "the DTLS handshake failed: the peer's certificate does not match its session description",
                            "something between the peers altered the connection; try again")
                    : new RtcatException(RtcatException.Kind.UNAVAILABLE, "ICE failed: no candidate pair worked",
                            "both sides behind strict NATs need a TURN server: --ice turn:USER:PASS@HOST");
            if (auth == null || auth.verified().isDone()) {
                fail(failed);
                return;
            }
            // A tampered fingerprint also breaks DTLS; the code-phrase binding says why, so let it speak first.
            auth.verified().orTimeout(3, TimeUnit.SECONDS).whenComplete((v, e) -> {
                Throwable cause = e == null ? null : Futures.unwrap(e);
                fail(cause instanceof RtcatException r ? r : failed);
            });
        }

        @Override
        public void onIceServerError(String url, int code, String text) {
            progress.accept("ice server " + url + " answered " + code + " " + text);
            iceServerErrors.add(code == 401
                    ? "TURN server " + url + " rejected the credentials: " + code + " " + text
                    : "ICE server " + url + " failed: " + code + " " + text);
        }

        @Override
        public void onGatheringComplete() {
            progress.accept("candidate gathering complete: " + localCandidates.size() + " candidates");
            if (!localCandidates.isEmpty()) {
                return;
            }
            // Without a single local candidate ICE cannot even start; waiting for the deadline helps nobody.
            boolean auth = iceServerErrors.stream().anyMatch(e -> e.contains("rejected the credentials"));
            String cause = iceServerErrors.isEmpty()
                    ? "no ICE candidates were gathered (no usable network interface or ICE server)"
                    : "no ICE candidates were gathered: " + iceServerErrors.get(0);
            fail(new RtcatException(RtcatException.Kind.UNAVAILABLE, cause, auth
                    ? "check the TURN username and password (turn:USER:PASS@HOST or --ice-user/--ice-pass)"
                    : "check that the STUN/TURN servers are reachable from here"));
        }
    }
}
