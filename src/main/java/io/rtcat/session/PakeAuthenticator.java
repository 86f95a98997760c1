package io.rtcat.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.session.pake.FingerprintBinding;
import io.rtcat.session.pake.PakeSession;
import io.rtcat.signaling.SignalMessage;
import io.rtcat.signaling.SignalingClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Authenticates the peer with the code phrase: J-PAKE over the signaling room (messages {@code pake}
 * rounds 1-3), then each side sends {@code bind}: an HMAC, keyed by the PAKE result, over the DTLS
 * fingerprints in the two session descriptions it applied. DTLS makes the certificate match its SDP
 * fingerprint, so a signaling server that swaps fingerprints (a man in the middle) fails the check,
 * and one that does not know the code cannot complete the PAKE. One guess per run: the code is not
 * reused after a failure.
 *
 * <p>Confined to the connection attempt's loop ({@link Attempt}): every method is called there, in the order the
 * messages came, so the peer's offer, sent after its last round, is handled after that round gave us the key.
 * The big-number arithmetic (~0.3 s) runs there too, never on the WebSocket's thread.
 */
final class PakeAuthenticator {

    private static final String PAKE = "pake";
    private static final String PAKE_FAILED = "pake-failed";
    private static final String BIND = "bind";
    private static final int MAX_BEFORE_KEY = 512;

    private final PakeSession pake;
    private final String ownRole;
    private final String peerRole;
    private final SignalingClient signaling;
    private final Consumer<Throwable> fail;
    private final Consumer<String> progress;
    private final CompletableFuture<byte[]> key = new CompletableFuture<>();
    private final CompletableFuture<Void> verified = new CompletableFuture<>();
    private Map<String, String> round1;
    /** Volatile: set on the loop, read by an interrupted attempt's cancel (see Attempt.tellPeerCancelled). */
    private volatile String peer;
    /** What came before our key (null once it exists): see {@link #admit}. */
    private List<SignalMessage> beforeKey = new ArrayList<>();
    private boolean closed;
    private int nextRound = 1;
    private String peerMac;
    private String[] applied;

    PakeAuthenticator(String secret, Role role, SignalingClient signaling, Consumer<Throwable> fail,
            Consumer<String> progress) {
        PakeSession.Role pakeRole = role == Role.OFFERER ? PakeSession.Role.SENDER : PakeSession.Role.RECEIVER;
        this.pake = new PakeSession(secret, pakeRole, new SecureRandom());
        this.ownRole = role == Role.OFFERER ? "offerer" : "answerer";
        this.peerRole = role == Role.OFFERER ? "answerer" : "offerer";
        this.signaling = signaling;
        this.fail = e -> {
            fail.accept(e);
            key.completeExceptionally(e);
            verified.completeExceptionally(e);
        };
        this.progress = progress;
    }

    /** Completes with the session key once the PAKE succeeded. */
    CompletableFuture<byte[]> key() {
        return key;
    }

    /** Completes once the peer proved it applied the same fingerprints we did. */
    CompletableFuture<Void> verified() {
        return verified;
    }

    /** The user the PAKE runs with, once known. */
    String peer() {
        return peer;
    }

    /** Announces round 1 to the room; call right after joining. */
    void start() {
        run(() -> {
            round1 = pake.round1();
            send(round(1, round1), null);
        });
    }

    /** A newcomer may have missed our round 1: send it again, to them only. */
    void newcomer(String user) {
        run(() -> {
            if (peer == null && round1 != null) {
                send(round(1, round1), user);
            }
        });
    }

    /**
     * Takes the PAKE's own messages and says which others may be handled now, in order: room events at once;
     * before our key nothing (what came is kept); after it, only the authenticated peer's, and, right when a
     * round gave us the key, what that peer sent before it. The server relays in order and the peer offers only
     * after its last round, so the kept list is normally empty; a relay that reorders (SendReceiveIT's proxy)
     * must not cost the offer. All on the attempt's loop, so nothing can slip in between.
     */
    List<SignalMessage> admit(SignalMessage message) {
        if (handle(message)) {
            if (beforeKey == null || !key.isDone()) {
                return List.of();
            }
            List<SignalMessage> kept = beforeKey;
            beforeKey = null;
            return kept.stream().filter(this::isFromPeer).toList();
        }
        String type = message.type();
        if (type.equals(SignalMessage.USER_JOINED) || type.equals(SignalMessage.USER_LEFT)
                || type.equals(SignalMessage.ERROR)) {
            return List.of(message);
        }
        if (beforeKey != null) {
            if (beforeKey.size() < MAX_BEFORE_KEY) {
                beforeKey.add(message);
            }
            return List.of();
        }
        return isFromPeer(message) ? List.of(message) : List.of();
    }

    /** Handles pake, pake-failed and bind messages; returns false for anything else. */
    boolean handle(SignalMessage message) {
        switch (message.type()) {
            case PAKE -> run(() -> onPake(message));
            case PAKE_FAILED -> run(() -> {
                if (isFromPeer(message)) { // from anyone else it is interference, not the peer's verdict
                    fail.accept(new RtcatException(RtcatException.Kind.FAILED, PakeSession.MISMATCH_MESSAGE,
                            "check the code and start again: a code is good for one attempt"));
                }
            });
            case BIND -> run(() -> {
                if (isFromPeer(message)) {
                    peerMac = message.get("mac");
                    checkBinding();
                }
            });
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Both descriptions are applied: send our binding and check the peer's when it comes. */
    void descriptionsApplied(String offerSdp, String answerSdp) {
        run(() -> {
            try {
                byte[] k = key.getNow(null);
                if (k == null) {
                    throw new RtcatException(RtcatException.Kind.PROTOCOL, "session descriptions before the PAKE");
                }
                applied = new String[] {offerSdp, answerSdp};
                String mac = FingerprintBinding.mac(k, ownRole, offerSdp, answerSdp);
                send(SignalMessage.of(BIND).with("mac", mac), peer);
                checkBinding();
            } catch (RtcatException e) {
                fail.accept(e);
            }
        });
    }

    private void onPake(SignalMessage message) {
        String sender = message.sender();
        if (peer == null) {
            choosePeer(message);
            return;
        }
        if (!isFromPeer(message)) {
            return;
        }
        try {
            int r = Integer.parseInt(String.valueOf(message.get("step")));
            if (r != nextRound) {
                return; // a repeat of round 1, sent for a newcomer
            }
            Map<String, String> fields = fields(message);
            switch (r) {
                case 1 -> {
                    pake.acceptRound1(fields);
                    send(round(2, pake.round2()), peer);
                }
                case 2 -> {
                    pake.acceptRound2(fields);
                    send(round(3, pake.round3()), peer);
                }
                case 3 -> {
                    pake.acceptRound3(fields);
                    progress.accept("code phrase confirmed");
                    key.complete(pake.sessionKey());
                }
                default -> throw new RtcatException(RtcatException.Kind.PROTOCOL, "unknown PAKE round " + r);
            }
            nextRound++;
        } catch (RtcatException e) {
            if (e.kind() == RtcatException.Kind.FAILED) {
                trySend(SignalMessage.of(PAKE_FAILED), peer);
            }
            fail.accept(e);
        } catch (RuntimeException e) {
            fail.accept(new RtcatException(RtcatException.Kind.PROTOCOL, "malformed PAKE message: " + e, null, e));
        }
    }

    /**
     * The first member whose round 1 validates becomes the peer; junk from anyone else in the room is ignored
     * (before, the first round 1 chose the peer and a malformed one then aborted the handshake).
     */
    private void choosePeer(SignalMessage message) {
        String sender = message.sender();
        if (sender == null || !"1".equals(String.valueOf(message.get("step")))) {
            return;
        }
        Map<String, String> fields;
        try {
            fields = fields(message);
        } catch (RtcatException | RuntimeException e) {
            progress.accept("ignored a malformed PAKE message from " + sender);
            return;
        }
        if (!pake.offerRound1(fields)) {
            progress.accept("ignored an invalid PAKE round 1 from " + sender);
            return;
        }
        peer = sender;
        progress.accept("authenticating " + sender + " with the code phrase");
        nextRound = 2;
        send(round(2, pake.round2()), peer);
    }

    private void checkBinding() {
        if (peerMac == null || applied == null || verified.isDone()) {
            return;
        }
        try {
            if (FingerprintBinding.verify(key.join(), peerRole, applied[0], applied[1], peerMac)) {
                progress.accept("peer certificate bound to the code phrase");
                verified.complete(null);
            } else {
                fail.accept(new RtcatException(RtcatException.Kind.FAILED,
                        "the peer's DTLS fingerprint does not match the code phrase: someone between you "
                                + "(possibly the signaling server) tampered with the connection; aborted",
                        "nothing was transferred; try again, or use another signaling server"));
            }
        } catch (RtcatException e) {
            fail.accept(e);
        }
    }

    private boolean isFromPeer(SignalMessage message) {
        return peer != null && peer.equals(message.sender());
    }

    /** {@code {"type":"pake","step":N,"payload":{...}}}: the PAKE's own fields stay in their own object. */
    private static SignalMessage round(int n, Map<String, String> fields) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        fields.forEach(payload::put);
        return SignalMessage.of(PAKE).with("step", Integer.toString(n)).with("payload", payload);
    }

    private static Map<String, String> fields(SignalMessage message) throws RtcatException {
        JsonNode payload = message.getNode("payload");
        if (payload == null || !payload.isObject()) {
            throw new RtcatException(RtcatException.Kind.PROTOCOL, "malformed PAKE message: no payload");
        }
        Map<String, String> out = new HashMap<>();
        payload.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private void send(SignalMessage message, String target) {
        try {
            signaling.send(target == null ? message : message.withTarget(target));
        } catch (RtcatException e) {
            fail.accept(e);
        }
    }

    private void trySend(SignalMessage message, String target) {
        try {
            signaling.send(target == null ? message : message.withTarget(target));
        } catch (RtcatException ignored) {
            // failing anyway
        }
    }

    /** Runs PAKE work now (we are on the attempt's loop); once the handshake is over, late messages are dropped. */
    private void run(Runnable task) {
        if (!closed) {
            task.run();
        }
    }

    /** The handshake is over (established or given up): nothing is waiting for PAKE messages any more. */
    void close() {
        closed = true;
    }
}
