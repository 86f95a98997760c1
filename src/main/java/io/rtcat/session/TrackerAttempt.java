package io.rtcat.session;

import static io.rtcat.json.Mappers.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.peer.PeerEvents;
import io.rtcat.peer.PendingChannel;
import io.rtcat.peer.ConnectionState;
import io.rtcat.peer.SessionDescription;
import io.rtcat.session.pake.FingerprintBinding;
import io.rtcat.session.pake.PakeSession;
import io.rtcat.signaling.TrackerClient;
import io.rtcat.stats.ConnectTimings;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One WebRTC connection attempt met through a tracker: either our offer that someone answered, or someone's
 * offer that we answered. Descriptions are non-trickle (every candidate inside, gathering awaited up to
 * {@link #GATHER_WAIT}), because the tracker relays only offers and answers.
 *
 * <p>Besides the caller's channel, both sides open a negotiated channel {@code rtcat-pake} on which the
 * code-phrase J-PAKE runs once the connection is up ({@code pake} rounds 1-3), then each side sends
 * {@code bind}: the HMAC, keyed by the PAKE result, over the DTLS fingerprints of the offer and answer it applied
 * ({@link FingerprintBinding}), exactly as over signaling. DTLS holds each certificate to the fingerprint its side
 * applied, so a tracker that put itself in the middle fails the binding. The sender ends with {@code use} on the
 * one attempt it keeps (two attempts with the same peer happen when both sides offered at once); the receiver
 * hands out only that one. None of these messages ever reaches the caller's channel, which carries nothing
 * before {@code use}.
 *
 * <p>Not thread-safe: every method runs on the rendezvous' single loop thread (callbacks hop there).
 */
final class TrackerAttempt {

    /** What an attempt reports to its rendezvous (on the loop thread). */
    interface Outcome {
        /** The PAKE passed and both fingerprints are bound. */
        void authenticated(TrackerAttempt attempt);

        /** The sender chose this attempt and its channel is open: hand it out. */
        void established(TrackerAttempt attempt);

        /**
         * The attempt is over.
         *
         * @param guessSpent the peer got our key confirmation without proving the code: one online guess used
         * @param tampered the fingerprint binding failed: someone is in the middle
         */
        void failed(TrackerAttempt attempt, String why, boolean guessSpent, boolean tampered);
    }

    static final Duration GATHER_WAIT = Duration.ofSeconds(5);
    static final String PAKE_LABEL = "rtcat-pake";
    private static final int MAX_PAKE_MESSAGE = 16 * 1024;

    private final Peer peer;
    private final boolean weOffered;
    private final Role role;
    private final Executor loop;
    private final Outcome outcome;
    private final MessageChannel pakeChannel;
    private final CompletableFuture<MessageChannel> mainChannel;
    private final CompletableFuture<Void> gathered = new CompletableFuture<>();
    private final PakeSession pake;
    private final long startNanos = System.nanoTime();
    private long describedNanos;
    private long connectedNanos;
    private TrackerClient via;
    private final List<Runnable> alsoAnswer = new ArrayList<>();
    private String remotePeerId;
    private String offerSdp;
    private String answerSdp;
    private int nextRound = 1;
    private boolean round3Sent;
    private byte[] key;
    private String peerMac;
    private boolean authenticated;
    private boolean chosen;
    private boolean over;

    private TrackerAttempt(PeerEngine engine, PeerConfig config, ChannelOptions channel, boolean weOffered,
            String secret, Role role, Executor loop, Outcome outcome) throws RtcatException {
        this.weOffered = weOffered;
        this.role = role;
        this.loop = loop;
        this.outcome = outcome;
        this.pake = new PakeSession(secret, role == Role.OFFERER ? PakeSession.Role.SENDER : PakeSession.Role.RECEIVER,
                new SecureRandom());
        this.peer = engine.newPeer(config, new Events());
        PendingChannel pakePending;
        try {
            if (weOffered || channel.negotiatedId() != null) {
                mainChannel = peer.openChannel(channel).opened();
            } else {
                mainChannel = peer.incomingChannel();
            }
            int pakeId = channel.negotiatedId() != null && channel.negotiatedId() == ChannelOptions.MAX_STREAM_ID
                    ? ChannelOptions.MAX_STREAM_ID - 1 : ChannelOptions.MAX_STREAM_ID;
            pakePending = peer.openChannel(new ChannelOptions(PAKE_LABEL, true, null, null, pakeId));
        } catch (RtcatException | RuntimeException e) {
            peer.close();
            throw e;
        }
        pakeChannel = pakePending.channel();
        pakeChannel.setListener(MessageChannel.Listener.textOnly(text -> loop.execute(() -> onPakeText(text))));
        pakePending.opened().whenComplete((ch, e) -> loop.execute(() -> {
            if (e != null) {
                fail("the connection did not open", false);
            } else {
                onPakeChannelOpen();
            }
        }));
    }

    /** Our offer: completes with its SDP (candidates inside) once gathering is done or {@link #GATHER_WAIT} passed. */
    static TrackerAttempt offer(PeerEngine engine, PeerConfig config, ChannelOptions channel, String secret,
            Role role, Executor loop, Outcome outcome, CompletableFuture<String> sdp) throws RtcatException {
        TrackerAttempt a = new TrackerAttempt(engine, config, channel, true, secret, role, loop, outcome);
        a.peer.createOffer()
                .thenCompose(d -> a.gathered.completeOnTimeout(null, GATHER_WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .whenComplete((v, e) -> loop.execute(() -> {
                    if (e != null) {
                        sdp.completeExceptionally(Futures.unwrap(e));
                        return;
                    }
                    a.offerSdp = a.peer.localDescription().sdp();
                    sdp.complete(a.offerSdp);
                }));
        return a;
    }

    /** Someone's offer, delivered by {@code via}: we answer through the same tracker. */
    static TrackerAttempt answer(PeerEngine engine, PeerConfig config, ChannelOptions channel, String secret,
            Role role, Executor loop, Outcome outcome, TrackerClient via, String fromPeer, String offerId,
            String offer) throws RtcatException {
        TrackerAttempt a = new TrackerAttempt(engine, config, channel, false, secret, role, loop, outcome);
        a.via = via;
        a.remotePeerId = fromPeer;
        a.offerSdp = offer;
        a.peer.acceptOffer(new SessionDescription("offer", offer))
                .thenCompose(d -> a.gathered.completeOnTimeout(null, GATHER_WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .whenComplete((v, e) -> loop.execute(() -> {
                    if (a.over) {
                        return;
                    }
                    if (e != null) {
                        a.fail("cannot answer its offer: " + Futures.unwrap(e).getMessage(), false);
                        return;
                    }
                    a.answerSdp = a.peer.localDescription().sdp();
                    a.describedNanos = System.nanoTime();
                    a.answerAlso(via, offerId);
                    a.alsoAnswer.forEach(Runnable::run);
                    a.alsoAnswer.clear();
                }));
        return a;
    }

    /**
     * The same offer came again (re-announced under a fresh offer_id, or through another tracker): answer it there
     * too with the same answer, so a tracker that lost our first answer does not cost the attempt.
     */
    void answerAlso(TrackerClient tracker, String offerId) {
        if (over) {
            return;
        }
        if (answerSdp != null) {
            tracker.answer(remotePeerId, offerId, answerSdp);
        } else if (alsoAnswer.size() < 16) {
            alsoAnswer.add(() -> answerAlso(tracker, offerId));
        }
    }

    /** The answer to our offer arrived through {@code via}. */
    void answered(TrackerClient via, String fromPeer, String answer) {
        this.via = via;
        this.remotePeerId = fromPeer;
        this.answerSdp = answer;
        peer.acceptAnswer(new SessionDescription("answer", answer)).whenComplete((v, e) -> loop.execute(() -> {
            describedNanos = System.nanoTime();
            if (e != null) {
                fail("cannot apply its answer: " + Futures.unwrap(e).getMessage(), false);
            }
        }));
    }

    String remotePeerId() {
        return remotePeerId;
    }

    TrackerClient via() {
        return via;
    }

    boolean isOver() {
        return over;
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    /** Sender only: keep this attempt; the receiver hands out the same one. */
    void choose() {
        chosen = true;
        send(message("use"));
        awaitMainChannel();
    }

    /** The established connection; call after {@link Outcome#established}. */
    Connection connection() {
        pakeChannel.setListener(MessageChannel.Listener.textOnly(t -> { }));
        MessageChannel main = mainChannel.getNow(null);
        ConnectTimings timings = ConnectTimings.of(startNanos, describedNanos == 0 ? startNanos : describedNanos,
                connectedNanos == 0 ? startNanos : connectedNanos, System.nanoTime());
        return new Connection(peer, main, "tracker peer " + remotePeerId, timings);
    }

    /** Gives up this attempt (not after it was handed out). */
    void close() {
        over = true;
        peer.close();
    }

    // ---- PAKE over the rtcat-pake channel ----

    private void onPakeChannelOpen() {
        if (over) {
            return;
        }
        connectedNanos = System.nanoTime();
        try {
            send(round(1, pake.round1()));
        } catch (RuntimeException e) {
            fail("PAKE: " + e.getMessage(), false);
        }
    }

    private void onPakeText(String text) {
        if (over) {
            return;
        }
        try {
            JsonNode m = text.length() > MAX_PAKE_MESSAGE ? null : JSON.readTree(text);
            String type = m != null && m.isObject() ? m.path("type").asText("") : "";
            switch (type) {
                case "pake" -> onRound(m);
                case "bind" -> {
                    peerMac = m.path("mac").asText(null);
                    checkBinding();
                }
                case "use" -> {
                    if (role == Role.ANSWERER) {
                        chosen = true;
                        if (authenticated) {
                            awaitMainChannel();
                        }
                    }
                }
                case "pake-failed" -> fail(PakeSession.MISMATCH_MESSAGE, round3Sent);
                default -> fail("the peer broke the PAKE protocol", round3Sent);
            }
        } catch (RtcatException e) {
            if (e.kind() == RtcatException.Kind.FAILED) {
                trySend(message("pake-failed"));
            }
            fail(e.getMessage(), round3Sent);
        } catch (Exception e) {
            fail("malformed PAKE message", round3Sent);
        }
    }

    private void onRound(JsonNode m) throws RtcatException {
        int step = m.path("step").asInt(-1);
        if (step != nextRound) {
            throw new RtcatException(RtcatException.Kind.PROTOCOL, "PAKE round out of order");
        }
        Map<String, String> fields = new HashMap<>();
        JsonNode payload = m.path("payload");
        payload.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
        switch (step) {
            case 1 -> {
                pake.acceptRound1(fields);
                send(round(2, pake.round2()));
            }
            case 2 -> {
                pake.acceptRound2(fields);
                round3Sent = true;
                send(round(3, pake.round3()));
            }
            default -> {
                pake.acceptRound3(fields);
                key = pake.sessionKey();
                ObjectNode bind = message("bind");
                bind.put("mac", FingerprintBinding.mac(key, pake.role().participantId(), offerSdp, answerSdp));
                send(bind);
                checkBinding();
            }
        }
        nextRound++;
    }

    private void checkBinding() throws RtcatException {
        if (key == null || peerMac == null || authenticated) {
            return;
        }
        if (!FingerprintBinding.verify(key, pake.role().peer().participantId(), offerSdp, answerSdp, peerMac)) {
            over = true;
            outcome.failed(this, "the peer's DTLS fingerprint does not match the code phrase: someone between you "
                    + "(possibly a tracker) tampered with the connection; aborted", false, true);
            return;
        }
        authenticated = true;
        outcome.authenticated(this);
        if (chosen && role == Role.ANSWERER) {
            awaitMainChannel();
        }
    }

    private void awaitMainChannel() {
        mainChannel.orTimeout(GATHER_WAIT.toMillis() * 3, TimeUnit.MILLISECONDS).whenComplete((ch, e) ->
                loop.execute(() -> {
                    if (over) {
                        return;
                    }
                    if (e != null) {
                        fail("the data channel did not open", false);
                    } else {
                        over = true;
                        outcome.established(this);
                    }
                }));
    }

    private void fail(String why, boolean guessSpent) {
        if (over) {
            return;
        }
        over = true;
        outcome.failed(this, why, guessSpent, false);
    }

    private static ObjectNode round(int step, Map<String, String> fields) {
        ObjectNode m = message("pake");
        m.put("step", step);
        ObjectNode payload = m.putObject("payload");
        fields.forEach(payload::put);
        return m;
    }

    private static ObjectNode message(String type) {
        ObjectNode m = JSON.createObjectNode();
        m.put("type", type);
        return m;
    }

    /** Small control messages: a blocking send returns at once (the buffer is far below its watermark). */
    private void send(ObjectNode message) {
        try {
            pakeChannel.sendText(message.toString());
        } catch (Exception e) {
            fail("the connection closed during the PAKE", round3Sent);
        }
    }

    /** For a last word: the peer may already have hung up. */
    private void trySend(ObjectNode message) {
        try {
            pakeChannel.sendText(message.toString());
        } catch (Exception ignored) {
            // failing anyway
        }
    }

    private final class Events implements PeerEvents {
        @Override
        public void onGatheringComplete() {
            gathered.complete(null);
        }

        @Override
        public void onConnectionState(ConnectionState state) {
            if (state == ConnectionState.FAILED) {
                loop.execute(() -> fail("ICE/DTLS failed (no usable path, or a description was altered on the way)",
                        round3Sent));
            }
        }
    }
}
