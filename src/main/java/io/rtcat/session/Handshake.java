package io.rtcat.session;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.signaling.SignalMessage;
import io.rtcat.signaling.SignalingClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
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
 * offer and ignores repeats. Candidates that arrive early are queued by {@link Peer}. With a code phrase the
 * J-PAKE ({@link PakeAuthenticator}) comes first and the offer goes to the authenticated peer only.
 *
 * <p>Threads: the connecting thread only joins, reads the server's {@code joined} and waits on futures with the
 * deadline; everything else (signaling messages, PAKE steps, peer events) runs on the attempt's one serial
 * executor, in arrival order ({@link Attempt}).
 */
public final class Handshake {

    /**
     * Longest wait for the {@code joined} of a server that promised one (rtcat's own answers at once); other
     * servers are not waited for at all.
     */
    private static final Duration JOIN_ACK_WAIT = Duration.ofSeconds(5);
    private static final Duration LOOP_IDLE = Duration.ofSeconds(5);
    /** Bound on the loop's answer once connected (it answers at once unless the machine is starved). */
    private static final Duration HAND_OVER_WAIT = Duration.ofSeconds(10);

    private final SignalingClient signaling;
    private final Role role;
    private final HandshakeOptions options;
    private final Consumer<String> progress;
    private final Consumer<String> localFingerprint;
    private PeerConfig effectiveConfig;

    /**
     * @param progress receives short human-readable steps ("offer sent", "ice: checking"...) for verbose output
     * @param localFingerprint receives our own DTLS fingerprint in plain rooms once it exists, so the user can
     *                         give it to the other side to pin; may be null
     */
    public Handshake(SignalingClient signaling, Role role, HandshakeOptions options, Consumer<String> progress,
            Consumer<String> localFingerprint) {
        this.signaling = signaling;
        this.role = role;
        this.options = options;
        this.progress = progress;
        this.localFingerprint = localFingerprint;
    }

    /** Connects; on failure closes the peer and throws with a message that says which step failed. */
    public Connection connect(PeerEngine engine, PeerConfig config, ChannelOptions channelOptions, String userId)
            throws RtcatException {
        return connect(engine, config, channelOptions, userId, System.nanoTime());
    }

    /**
     * As {@link #connect(PeerEngine, PeerConfig, ChannelOptions, String)}, with the connect time counted from
     * {@code startNanos} (e.g. before the signaling socket was opened).
     */
    public Connection connect(PeerEngine engine, PeerConfig config, ChannelOptions channelOptions, String userId,
            long startNanos) throws RtcatException {
        Duration patience = options.patience();
        long deadline = System.nanoTime() + (patience != null ? patience : options.timeout()).toNanos();
        ExecutorService loop = loop();
        Attempt attempt = new Attempt(loop, signaling, role, options, progress, localFingerprint);
        PakeAuthenticator auth = attempt.auth();
        Peer peer = null;
        try {
            // Join first: the server's answer may carry TURN credentials the peer must be created with.
            signaling.join(options.room(), userId);
            if (auth != null) {
                // At once, not after the join's answer: on a server that never answers, the peer's reply to this
                // round is what ends the wait below. (Messages are kept in `early` until the loop handles them.)
                attempt.post(auth::start);
            }
            List<SignalMessage> early = new ArrayList<>();
            JoinAnswer joined = awaitJoined(early, deadline);
            effectiveConfig = config.withMoreIceServers(joined.iceServers());
            effectiveConfig.validate();
            peer = engine.newPeer(effectiveConfig, attempt.events());
            CompletableFuture<MessageChannel> channel = role == Role.OFFERER || channelOptions.negotiatedId() != null
                    ? peer.openChannel(channelOptions).opened() : peer.incomingChannel();
            Peer created = peer;
            PeerConfig createdWith = effectiveConfig;
            // First on the loop, so before any peer event or message the listener below hands it.
            attempt.post(() -> attempt.begin(created, createdWith, joined.acknowledged(), early));
            signaling.setListener(attempt.listener());
            if (auth != null) {
                awaitPeer(attempt, CompletableFuture.anyOf(auth.key(), attempt.failure), deadline);
            } else if (patience != null && role == Role.ANSWERER) {
                // (an offerer's peer arrives by answering its offer, so it has nothing to wait for here)
                awaitPeer(attempt, CompletableFuture.anyOf(attempt.peerArrived, attempt.failure), deadline);
            }
            if (patience != null) {
                deadline = System.nanoTime() + options.timeout().toNanos();
            }
            if (role == Role.OFFERER) {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                attempt.post(() -> attempt.sendOffer().whenComplete((v, e) -> complete(sent, e)));
                await(attempt, CompletableFuture.anyOf(sent, attempt.failure), deadline, () -> "creating the offer");
            }
            MessageChannel open = (MessageChannel) await(attempt, CompletableFuture.anyOf(channel, attempt.failure),
                    deadline, () -> attempt.ask(attempt::waitingFor, "connecting to the peer (ICE/DTLS)"));
            if (auth != null) {
                await(attempt, CompletableFuture.anyOf(auth.verified(), attempt.failure), deadline,
                        () -> "waiting for the peer to prove it knows the code");
            }
            CompletableFuture<Connection> connection = new CompletableFuture<>();
            attempt.post(() -> {
                effectiveConfig = attempt.effectiveConfig(); // with ICE servers a late `joined` added
                connection.complete(attempt.established(open, startNanos));
            });
            // Not against the deadline: the channel is open and verified, only the loop's answer is missing.
            return Futures.await(connection, HAND_OVER_WAIT.toNanos(), () -> "handing over the connection");
        } catch (RtcatException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()
                    || e instanceof RtcatException r && r.kind() == RtcatException.Kind.INTERRUPTED) {
                attempt.tellPeerCancelled(); // here, not on the loop: see its comment
            }
            if (peer != null) {
                peer.close();
            }
            loop.shutdown(); // given up: nothing that comes later matters
            throw e;
        } finally {
            if (auth != null) {
                attempt.post(auth::close);
            }
        }
    }

    /**
     * The attempt's loop: one thread at a time, tasks in order (as {@link Threads#serial}), but the thread ends when
     * idle. The loop outlives {@link #connect}: late candidates, the peer leaving and a failing connection are
     * still handled there while the data flows, and nobody has to remember to shut it down.
     */
    private static ExecutorService loop() {
        ThreadPoolExecutor loop = new ThreadPoolExecutor(1, 1, LOOP_IDLE.toSeconds(), TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Threads.named("rtcat-handshake"));
        loop.allowCoreThreadTimeOut(true);
        return loop;
    }

    private static void complete(CompletableFuture<Void> f, Throwable e) {
        if (e == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(Futures.unwrap(e));
        }
    }

    /** The config the peer was created with: the caller's plus any ICE servers the signaling server offered. */
    public PeerConfig effectiveConfig() {
        return effectiveConfig;
    }

    private record JoinAnswer(boolean acknowledged, List<IceServerUrl> iceServers) {
    }

    /**
     * Reads messages until the server acknowledges the join (or refuses it), keeping everything for the loop;
     * returns the ICE servers offered in the acknowledgement. rtcat's server sends {@code joined} before anything
     * it relays, so a relayed message arriving first means a server that never acknowledges: then there is
     * nothing to wait for. A server that does not say in its handshake that it acknowledges joins is not waited
     * for at all (a {@code joined} that comes anyway is taken by the loop, as a late one).
     */
    private JoinAnswer awaitJoined(List<SignalMessage> early, long deadline) throws RtcatException {
        if (!signaling.acknowledgesJoins()) {
            // Not rtcat's server: it may never send `joined` (the tutorial one does not), so waiting could
            // only cost time.
            progress.accept("the signaling server does not promise to acknowledge the join; starting at once");
            return new JoinAnswer(false, List.of());
        }
        long until = Math.min(deadline, System.nanoTime() + JOIN_ACK_WAIT.toNanos());
        while (true) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                progress.accept("the signaling server did not acknowledge the join; going on without its ICE servers");
                return new JoinAnswer(false, List.of());
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
                return new JoinAnswer(true, ServerIceServers.from(m, progress));
            }
            if (m.type().equals(SignalMessage.ERROR)) {
                return new JoinAnswer(false, List.of()); // handled (as a failure) on the loop
            }
            progress.accept("the signaling server relays without acknowledging the join; going on without "
                    + "its ICE servers");
            return new JoinAnswer(false, List.of());
        }
    }

    private void awaitPeer(Attempt attempt, CompletableFuture<Object> arrival, long deadline) throws RtcatException {
        try {
            await(attempt, arrival, deadline, () -> attempt.ask(attempt::waitingFor, "waiting for the peer"));
        } catch (RtcatException e) {
            if (options.patience() != null && e.kind() == RtcatException.Kind.TIMEOUT) {
                throw new NoPeerCame("nobody came within " + options.patience().toSeconds() + " s");
            }
            throw e;
        }
    }

    private static <T> T await(Attempt attempt, CompletableFuture<T> future, long deadlineNanos, Supplier<String> step)
            throws RtcatException {
        try {
            return Futures.await(future, deadlineNanos - System.nanoTime(), step);
        } catch (RtcatException e) {
            if (e.kind() != RtcatException.Kind.TIMEOUT) {
                throw e;
            }
            String serverError = attempt.ask(attempt::iceServerError, null);
            throw new RtcatException(RtcatException.Kind.TIMEOUT,
                    e.getMessage() + (serverError == null ? "" : " (" + serverError + ")"),
                    "check that both sides can reach each other, or raise --timeout");
        }
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
}
