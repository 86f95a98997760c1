package io.rtcat.session;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ConnectionState;
import io.rtcat.peer.IceCandidate;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEvents;
import io.rtcat.peer.SessionDescription;
import io.rtcat.session.pake.FingerprintBinding;
import io.rtcat.signaling.SignalMessage;
import io.rtcat.signaling.SignalingClient;
import io.rtcat.stats.ConnectTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The state of one connection attempt, confined to one serial executor (its loop): every signaling message,
 * PAKE step and {@link PeerEvents} callback runs there, one after the other, in the order it came. So a message
 * can never overtake the one before it (the peer's offer cannot be handled before its PAKE round 3 that gives
 * us the key: they are queued in that order; what a reordering relay delivers early waits in
 * {@link PakeAuthenticator#admit}), and no field here needs a lock or a {@code volatile}. Only
 * {@link #failure} and {@link #peerArrived}, futures, are read by the connecting thread ({@link Handshake}),
 * which otherwise asks the loop ({@link #ask}).
 *
 * <p>Nothing on the loop may wait for anything that needs the loop: libwebrtc's futures are continued on it
 * with {@code ...Async(…, loop)}.
 */
final class Attempt {

    /** Signaling message of a side interrupted before the data channel opened: {@code {"type":"cancel"}}. */
    static final String CANCEL = "cancel";
    /** Time for data the peer sent before leaving the room to arrive; far below ICE's ~17 s failure detection. */
    private static final Duration HANG_UP_GRACE = Duration.ofSeconds(2);

    private final ExecutorService loop;
    private final SignalingClient signaling;
    private final Role role;
    private final HandshakeOptions options;
    private final Consumer<String> progress;
    private final Consumer<String> localFingerprint;
    private final PakeAuthenticator auth;
    private final String pinnedFingerprint;
    /** Failed (completed exceptionally) by whatever ends the attempt early; read by the connecting thread. */
    final CompletableFuture<MessageChannel> failure = new CompletableFuture<>();
    /** The peer showed up: its offer or answer came (plain rooms). */
    final CompletableFuture<Void> peerArrived = new CompletableFuture<>();
    private final List<IceCandidate> localCandidates = new ArrayList<>();
    private final List<String> iceServerErrors = new ArrayList<>();
    private Peer peer;
    private PeerConfig effectiveConfig;
    private boolean joinAcknowledged;
    /** Volatile: {@link #tellPeerCancelled} reads it off the loop. */
    private volatile String remoteUser;
    private SessionDescription sentOffer;
    private boolean described;
    private boolean offerAccepted;
    private boolean iceConnected;
    private MessageChannel established;
    private long describedNanos;
    private long connectedNanos;

    Attempt(ExecutorService loop, SignalingClient signaling, Role role, HandshakeOptions options,
            Consumer<String> progress, Consumer<String> localFingerprint) {
        this.loop = loop;
        this.signaling = signaling;
        this.role = role;
        this.options = options;
        this.progress = progress;
        this.localFingerprint = options.secret() == null ? localFingerprint : null;
        this.auth = options.secret() == null ? null
                : new PakeAuthenticator(options.secret(), role, signaling, this::fail, progress);
        this.pinnedFingerprint = options.pinnedHex();
    }

    PakeAuthenticator auth() {
        return auth;
    }

    /** Runs {@code task} on the loop; once the attempt has failed (loop shut down), late work is dropped. */
    void post(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException over) {
            // the attempt failed and its peer is closed: nobody waits for this any more
        }
    }

    /**
     * Asks the loop for a value, waiting at most a second (even on an interrupted thread: error messages are
     * built while an interrupt ends the wait); {@code fallback} if the loop does not answer.
     */
    <T> T ask(java.util.function.Supplier<T> question, T fallback) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        post(() -> answer.complete(question.get()));
        Futures.awaitQuietly(answer, Duration.ofSeconds(1));
        return answer.isDone() && !answer.isCompletedExceptionally() ? answer.join() : fallback;
    }

    /** The peer's events, each handed to the loop. */
    PeerEvents events() {
        return new PeerEventsOnLoop(new OnPeer(), this::post);
    }

    /** On the loop, first: the peer exists; handles what was read before, in order, then what the listener gets. */
    void begin(Peer peer, PeerConfig config, boolean joinAcknowledged, List<SignalMessage> early) {
        this.peer = peer;
        this.effectiveConfig = config;
        this.joinAcknowledged = joinAcknowledged;
        if (auth != null) {
            auth.key().thenRun(() -> remoteUser = auth.peer()); // completes on the loop, in auth.handle
        }
        for (SignalMessage m : early) {
            handle(m);
        }
    }

    /** Listens for the rest of the attempt (and the connection's life: late candidates, the peer leaving). */
    SignalingClient.Listener listener() {
        return new SignalingClient.Listener() {
            @Override
            public void onMessage(SignalMessage message) {
                // A cancel counts at once, here on the socket's thread: the loop may be busy for a second or more
                // (the PAKE's arithmetic), and a send it fails meanwhile on the connection the peer is closing
                // must not win over the reason the peer gave.
                if (!peerCancelled(message)) {
                    post(() -> handle(message));
                }
            }

            @Override
            public void onClosed(int code, String reason) {
                post(() -> {
                    // 1001: the server is draining (rtcat signal got SIGTERM), not a network failure
                    fail(HandshakeFailures.signalingClosed(code, reason));
                    if (options.serverInPeer()) {
                        hangUp("the peer's signaling server went away");
                    }
                });
            }
        };
    }

    /** On the loop: creates the offer and sends it (to the authenticated peer, or the whole room); completes then. */
    CompletableFuture<Void> sendOffer() {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        peer.createOffer().whenCompleteAsync((offer, e) -> {
            try {
                if (e != null) {
                    throw Futures.unwrap(e);
                }
                sentOffer = offer;
                announceFingerprint(offer);
                signaling.send(SignalMessage.offer(offer.type(), offer.sdp(), remoteUser));
                progress.accept("offer sent to room " + options.room());
                sent.complete(null);
            } catch (Throwable t) {
                sent.completeExceptionally(t);
            }
        }, loop);
        return sent;
    }

    /** On the loop, once the channel is open: the connection, as the caller gets it. */
    Connection established(MessageChannel open, long startNanos) {
        established = open;
        return new Connection(peer, open, remoteUser,
                ConnectTimings.of(startNanos, describedNanos, connectedNanos, System.nanoTime()));
    }

    PeerConfig effectiveConfig() {
        return effectiveConfig;
    }

    /** What the attempt is waiting for, for a timeout's message. */
    String waitingFor() {
        if (localCandidates.isEmpty() && peer != null && peer.localDescription() != null) {
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

    /** The first ICE server error, if any, to add to a timeout's message. */
    String iceServerError() {
        return iceServerErrors.isEmpty() ? null : iceServerErrors.get(0);
    }

    /**
     * Interrupted before the data channel opened (e.g. during the PAKE): there is no channel for the in-band
     * cancel yet, so the peer we were meeting is told through the room and stops at once instead of timing out.
     *
     * <p>Called on the interrupted thread, not on the loop: the loop may be busy for a second or more with the
     * PAKE's arithmetic on a loaded machine, and the signaling connection closes right after this returns. Sent
     * from here, the cancel is queued before the close, so the peer hears it before it hears that we left.
     * Before the loop has picked our peer (its round 1 may still wait there, though the peer has picked us),
     * the cancel goes to the whole room: a member that did not meet us ignores it.
     */
    void tellPeerCancelled() {
        SignalMessage cancel = SignalMessage.of(CANCEL).with("reason", "interrupted");
        String to = knownPeer();
        try {
            signaling.send(to == null ? cancel : cancel.with("target", to));
        } catch (RtcatException | RuntimeException e) {
            // best effort: the signaling connection may already be gone, and then the peer hears that instead
        }
    }

    /**
     * The peer this meeting is with, as far as known: the PAKE's other side, or whoever answered or offered.
     * Safe on any thread (both are volatile).
     */
    private String knownPeer() {
        String pakePeer = auth != null ? auth.peer() : null;
        return pakePeer != null ? pakePeer : remoteUser;
    }

    void fail(Throwable error) {
        failure.completeExceptionally(error);
    }

    // ---- signaling messages, on the loop ----

    private void handle(SignalMessage message) {
        if (peerCancelled(message)) {
            return;
        }
        if (message.type().equals(SignalMessage.JOINED)) {
            onLateJoined(message);
            return; // the server's own note, never the peer's business
        }
        if (auth == null) {
            dispatch(message);
            return;
        }
        for (SignalMessage m : auth.admit(message)) {
            dispatch(m);
        }
    }

    private void dispatch(SignalMessage message) {
        try {
            switch (message.type()) {
                case SignalMessage.USER_JOINED -> onUserJoined(message.userId());
                case SignalMessage.OFFER -> onOffer(message);
                case SignalMessage.ANSWER -> onAnswer(message);
                case SignalMessage.ICE_CANDIDATE -> onCandidate(message);
                case SignalMessage.USER_LEFT -> onUserLeft(message.userId());
                case SignalMessage.ERROR -> fail(HandshakeFailures.refused(message));
                default -> {
                    // Forward compatible: ignore message types we do not know.
                }
            }
        } catch (RtcatException e) {
            fail(e);
        }
    }

    /**
     * A cancel from the peer we are meeting (no one else's counts): it was interrupted, so stop at once. Safe on any
     * thread (knownPeer is, and failing is).
     */
    private boolean peerCancelled(SignalMessage message) {
        if (!message.type().equals(CANCEL) || message.sender() == null || !message.sender().equals(knownPeer())) {
            return false;
        }
        fail(HandshakeFailures.peerCancelled(message.sender(), message.get("reason")));
        return true;
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
        if (role != Role.OFFERER || described || user == null || sentOffer == null) {
            return; // (before the untargeted offer went out: it will reach the newcomer)
        }
        progress.accept("peer " + user + " joined; offering");
        signaling.send(SignalMessage.offer(sentOffer.type(), sentOffer.sdp(), user));
        for (IceCandidate c : localCandidates) {
            sendCandidate(c, user);
        }
    }

    private void onUserLeft(String user) {
        if (user != null && user.equals(remoteUser)) {
            fail(HandshakeFailures.peerLeft());
            hangUp("the peer left the signaling room");
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
                    fail(HandshakeFailures.notPinned(fp));
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
        if (role != Role.ANSWERER || offerAccepted || !pinnedFingerprintMatches(message.sdp())) {
            return; // (repeats of the same offer)
        }
        offerAccepted = true;
        remoteUser = message.sender();
        peerArrived.complete(null);
        progress.accept("offer received from " + remoteUser);
        peer.acceptOffer(new SessionDescription(message.sdpType(), message.sdp())).whenCompleteAsync((answer, e) -> {
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
        }, loop);
    }

    private void onAnswer(SignalMessage message) {
        if (role != Role.OFFERER || described || sentOffer == null || !pinnedFingerprintMatches(message.sdp())) {
            return;
        }
        described = true;
        remoteUser = message.sender();
        peerArrived.complete(null);
        progress.accept("answer received from " + remoteUser);
        peer.acceptAnswer(new SessionDescription(message.sdpType(), message.sdp())).whenCompleteAsync((v, e) -> {
            describedNanos = System.nanoTime();
            if (e != null) {
                fail(Futures.unwrap(e));
            } else if (auth != null) {
                auth.descriptionsApplied(sentOffer.sdp(), message.sdp());
            }
        }, loop);
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

    /** The peer's events, handled on the loop (libwebrtc calls them on its signaling thread). */
    private final class OnPeer implements PeerEvents {

        @Override
        public void onLocalCandidate(IceCandidate candidate) {
            localCandidates.add(candidate);
            // The offerer trickles to the whole room until it knows its peer; the answerer only after its
            // answer went out, because a candidate must not overtake the answer it belongs to.
            if (role == Role.ANSWERER && !described) {
                return;
            }
            try {
                sendCandidate(candidate, remoteUser);
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
        public void onConnectionState(ConnectionState state) {
            progress.accept("connection: " + state);
            if (state == ConnectionState.CONNECTED && connectedNanos == 0) {
                connectedNanos = System.nanoTime();
            }
            if (state != ConnectionState.FAILED) {
                return;
            }
            hangUp("the connection failed");
            RtcatException failed = HandshakeFailures.connectionFailed(iceConnected);
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
            iceServerErrors.add(HandshakeFailures.iceServerError(url, code, text));
        }

        @Override
        public void onGatheringComplete() {
            progress.accept("candidate gathering complete: " + localCandidates.size() + " candidates");
            if (!localCandidates.isEmpty()) {
                return;
            }
            // Without a single local candidate ICE cannot even start; waiting for the deadline helps nobody.
            fail(HandshakeFailures.noCandidates(iceServerErrors));
        }
    }
}
