package io.rtcat.stripe;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.IceCandidate;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.peer.PeerEvents;
import io.rtcat.peer.SessionDescription;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stripe.StripeMessages.Abandon;
import io.rtcat.stripe.StripeMessages.Announce;
import io.rtcat.stripe.StripeMessages.Message;
import io.rtcat.stripe.StripeMessages.ProbeEnd;
import io.rtcat.stripe.StripeMessages.ProbeReady;
import io.rtcat.stripe.StripeMessages.ProbeResult;
import io.rtcat.stripe.StripeMessages.Ready;
import io.rtcat.stripe.StripeMessages.StripeAnswer;
import io.rtcat.stripe.StripeMessages.StripeCandidate;
import io.rtcat.stripe.StripeMessages.StripeOffer;
import io.rtcat.stripe.StripeMessages.Unsupported;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sets up the stripes of one transfer: the sender (offering side) announces how many it wants, then creates one
 * more peer connection per extra stripe and negotiates it in-band, over the already authenticated main channel
 * (offer, answer and candidates as JSON text), so no signaling server is involved and the extra DTLS
 * fingerprints are as trusted as the main channel. When every extra channel is open the sender says
 * {@code stripes-ready} and both sides switch to a {@link StripedChannel}; if they do not open in time it says
 * {@code stripes-abandon} and both go on with the main channel alone.
 *
 * <pre>
 *   sender                                    receiver
 *   stripes {count, reason}           ->      (count 1: done)
 *   stripe-offer {index, sdp}         ->
 *                                     <-      stripe-answer {index, sdp}
 *   stripe-candidate {index, ...}    <->      stripe-candidate {index, ...}
 *   (with probe: true, the loss probe first, see LossProbe; then stripes-ready's count is the one taken)
 *   stripes-ready | stripes-abandon   ->
 *                                     <-      stripes-unsupported {why}  (a peer with one connection only, such as
 *                                             the browser page: the sender goes on with the main channel)
 * </pre>
 */
public final class Stripes implements AutoCloseable {

    /** Longest a transfer waits for its extra connections before going on with one. */
    static final Duration SETUP_LIMIT = Duration.ofSeconds(20);

    private final MessageChannel channel;
    private final StripedChannel striped;
    private final List<Peer> extraPeers;
    private final String reason;
    private final LossProbe.Result probe;

    private Stripes(MessageChannel channel, StripedChannel striped, List<Peer> extraPeers, String reason,
            LossProbe.Result probe) {
        this.channel = channel;
        this.striped = striped;
        this.extraPeers = extraPeers;
        this.reason = reason;
        this.probe = probe;
    }

    private Stripes(MessageChannel channel, StripedChannel striped, List<Peer> extraPeers, String reason) {
        this(channel, striped, extraPeers, reason, null);
    }

    /** What the sender's loss probe measured, or null (no probe, or the receiving side). */
    public LossProbe.Result probe() {
        return probe;
    }

    /** The channel the transfer runs on: the main channel, or all stripes behind one channel. */
    public MessageChannel channel() {
        return channel;
    }

    public int width() {
        return striped == null ? 1 : striped.width();
    }

    /** Why this many stripes, for the report. */
    public String reason() {
        return reason;
    }

    /**
     * Frame bytes each stripe carried (index 0 is the main connection): sent, or received when
     * {@code received}; null with one stripe.
     */
    public long[] bytesPerStripe(boolean received) {
        if (striped == null) {
            return null;
        }
        return received ? striped.bytesReceivedPerStripe() : striped.bytesSentPerStripe();
    }

    @Override
    public void close() {
        if (striped != null) {
            striped.close();
        }
        extraPeers.forEach(Peer::close);
    }

    // ---- sender ----

    private static void announceOne(MessageChannel main, String reason) {
        try {
            main.sendText(StripeMessages.encode(new Announce(1, reason)));
        } catch (IOException e) {
            // closed already: the transfer's listener hears that next, and reports it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Offering side: asks for {@code width} stripes (1 = none) over {@code main}; returns when they are usable. */
    public static Stripes offer(PeerEngine engine, PeerConfig config, MessageChannel main, int width, String reason,
            Consumer<String> log) throws RtcatException {
        if (width <= 1) {
            // Nothing comes back for one stripe, so nothing listens: what the receiver sends meanwhile (its hello,
            // a cancel from a page being closed) and the channel's closing stay queued for the transfer's listener.
            announceOne(main, reason);
            return new Stripes(main, null, List.of(), reason);
        }
        InBand link = new InBand(main, null, null);
        link.send(new Announce(width, reason));
        return establish(engine, config, main, link, width, reason, log, null);
    }

    /**
     * Offering side of {@code --streams auto} on a long path: measures the main path's loss first ({@link LossProbe})
     * and then asks for as many stripes as {@link StreamChoice#afterProbe} says.
     *
     * @param stats this side's connection stats as of each call (its packets sent on the main path), see
     *              {@link io.rtcat.peer.Peer#freshStats}
     */
    public static Stripes offerAfterProbe(PeerEngine engine, PeerConfig config, MessageChannel main, double rttMillis,
            Supplier<CompletableFuture<ConnectionStats>> stats, Consumer<String> log) throws RtcatException {
        InBand link = new InBand(main, null, null);
        link.send(new Announce(StreamChoice.mostAfterProbe(rttMillis), "auto: measuring the path's loss", true));
        LossProbe.Result measured;
        try {
            measured = probe(link, rttMillis, stats);
        } catch (RtcatException e) {
            if (e.kind() == RtcatException.Kind.INTERRUPTED) {
                link.close();
                throw e; // Ctrl-C: the transfer stops, it does not go on with one stream
            }
            return fallBack(main, link, e, log, null);
        }
        StreamChoice choice = StreamChoice.afterProbe(rttMillis, measured);
        log.accept(choice.reason());
        return establish(engine, config, main, link, choice.width(), choice.reason(), log, measured);
    }

    /** Sender's half of the probe: returns what it measured, or fails (the caller then goes on with one stream). */
    private static LossProbe.Result probe(InBand link, double rttMillis,
            Supplier<CompletableFuture<ConnectionStats>> stats) throws RtcatException {
        long deadline = System.nanoTime() + SETUP_LIMIT.toNanos();
        Futures.await(CompletableFuture.anyOf(link.probeReady, link.failure), deadline - System.nanoTime(),
                () -> "waiting for the receiver to get ready for the loss probe");
        ConnectionStats before = readStats(stats, "before the loss probe");
        long started = System.nanoTime();
        Duration length = LossProbe.duration(rttMillis);
        link.sendProbe(length);
        ProbeResult result = Futures.await(CompletableFuture.anyOf(link.probeResult, link.failure)
                .thenApply(o -> (ProbeResult) o), LossProbe.LONGEST.plus(SETUP_LIMIT).toNanos(),
                () -> "measuring the path's loss");
        ConnectionStats after = readStats(stats, "after the loss probe");
        LossProbe.Leg out = new LossProbe.Leg(after.packetsSent() - before.packetsSent(), result.packets());
        LossProbe.Leg back = result.packetsSent() == null ? null
                : new LossProbe.Leg(result.packetsSent(), after.packetsReceived() - before.packetsReceived());
        return new LossProbe.Result(out, back, link.probeBytes,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static ConnectionStats readStats(Supplier<CompletableFuture<ConnectionStats>> stats, String when)
            throws RtcatException {
        ConnectionStats s = pollStats(stats);
        if (s == null) {
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "no connection stats " + when);
        }
        return s;
    }

    /** This side's stats, or null if there are none (none given, or no answer within 5 s). */
    private static ConnectionStats pollStats(Supplier<CompletableFuture<ConnectionStats>> stats) {
        return stats == null ? null : Futures.poll(stats.get(), TimeUnit.SECONDS.toNanos(5));
    }

    /** Sender: announced already (and probed, if {@code measured}); creates and negotiates the extra stripes. */
    private static Stripes establish(PeerEngine engine, PeerConfig config, MessageChannel main, InBand link, int width,
            String reason, Consumer<String> log, LossProbe.Result measured) {
        List<Peer> peers = new ArrayList<>();
        List<CompletableFuture<MessageChannel>> opened = new ArrayList<>();
        try {
            for (int i = 1; i < width; i++) {
                Peer peer = engine.newPeer(config, link.candidateSender(i));
                peers.add(peer);
                link.register(i, peer);
                opened.add(peer.openChannel(ChannelOptions.reliable("rtcat-stripe-" + i)).opened());
            }
            for (int i = 1; i < width; i++) {
                SessionDescription offer = Futures.await(peers.get(i - 1).createOffer(),
                        SETUP_LIMIT.toNanos(), () -> "creating a stripe offer");
                link.sendDescription(new StripeOffer(i, offer.type(), offer.sdp()));
            }
            List<MessageChannel> channels = new ArrayList<>(List.of(main));
            long deadline = System.nanoTime() + SETUP_LIMIT.toNanos();
            for (CompletableFuture<MessageChannel> f : opened) {
                channels.add(Futures.await(CompletableFuture.anyOf(f, link.failure).thenApply(o -> (MessageChannel) o),
                        deadline - System.nanoTime(), () -> "opening the extra connections"));
            }
            link.sendLast(new Ready(width));
            link.close(); // (sends what is queued, then stops: late candidates are not needed any more)
            log.accept(width + " stripes open");
            StripedChannel striped = new StripedChannel(channels);
            return new Stripes(striped, striped, peers, reason, measured);
        } catch (RtcatException e) {
            peers.forEach(Peer::close);
            return fallBack(main, link, e, log, measured);
        }
    }

    /** Sender: the set-up failed ({@code why}); tells the receiver, and the transfer goes on with the main channel. */
    private static Stripes fallBack(MessageChannel main, InBand link, RtcatException why, Consumer<String> log,
            LossProbe.Result measured) {
        log.accept("stripes: " + why.getMessage() + "; going on with one connection");
        link.sendLast(new Abandon(why.getMessage()));
        link.close();
        return new Stripes(main, null, List.of(), "fell back to 1 stream: " + why.getMessage(), measured);
    }

    // ---- receiver ----

    /** Answering side: waits for the sender's announcement and follows it. */
    public static Stripes answer(PeerEngine engine, PeerConfig config, MessageChannel main, Duration timeout,
            Supplier<CompletableFuture<ConnectionStats>> stats, Consumer<String> log) throws RtcatException {
        InBand link = new InBand(main, engine, config);
        try {
            Announce announced = Futures.await(CompletableFuture.anyOf(link.announced, link.failure)
                    .thenApply(o -> (Announce) o), timeout.toNanos(), () -> "waiting for the sender to start");
            int width = announced.count();
            String reason = announced.reason();
            if (width <= 1) {
                return new Stripes(main, null, List.of(), reason);
            }
            if (width > MAX_WIDTH) {
                throw new RtcatException(RtcatException.Kind.PROTOCOL, "the sender asked for " + width
                        + " stripes; at most " + MAX_WIDTH + " are allowed");
            }
            if (announced.probe()) {
                answerProbe(link, stats);
            }
            Message end = Futures.await(CompletableFuture.anyOf(link.ended, link.failure)
                    .thenApply(o -> (Message) o), SETUP_LIMIT.plusSeconds(10).toNanos(),
                    () -> "setting up the extra connections");
            if (announced.probe() && end instanceof Ready ready) {
                if (ready.count() < 2 || ready.count() > width) {
                    throw new RtcatException(RtcatException.Kind.PROTOCOL, "the sender announced at most " + width
                            + " stripes, then " + ready.count());
                }
                width = ready.count();
                reason = "the sender's " + ready.count() + " after its loss probe";
            }
            link.close(); // the negotiation is over: its state (the peers) is this thread's from here on
            List<Peer> peers = new ArrayList<>(link.peers.values());
            if (end instanceof Abandon abandon) {
                log.accept("stripes abandoned by the sender: " + abandon.why());
                peers.forEach(Peer::close);
                return new Stripes(main, null, List.of(), "fell back to 1 stream: " + abandon.why());
            }
            List<MessageChannel> channels = new ArrayList<>(List.of(main));
            long deadline = System.nanoTime() + SETUP_LIMIT.toNanos();
            for (int i = 1; i < width; i++) {
                Peer peer = link.peers.get(i);
                if (peer == null) {
                    throw new RtcatException(RtcatException.Kind.PROTOCOL, "the sender never offered stripe " + i);
                }
                channels.add(Futures.await(peer.incomingChannel(), deadline - System.nanoTime(),
                        () -> "opening the extra connections"));
            }
            log.accept(width + " stripes open");
            StripedChannel striped = new StripedChannel(channels);
            return new Stripes(striped, striped, peers, reason);
        } finally {
            link.close();
        }
    }

    /**
     * Receiver's half of the loss probe: its packet count before the probe's data and after its end mark. Without
     * stats it cannot measure, and says so: the sender then goes on with one stream.
     */
    private static void answerProbe(InBand link, Supplier<CompletableFuture<ConnectionStats>> stats)
            throws RtcatException {
        ConnectionStats before = pollStats(stats);
        if (before == null) {
            link.send(new Unsupported("no connection stats for a loss probe"));
            return;
        }
        link.send(new ProbeReady());
        Futures.await(CompletableFuture.anyOf(link.probeEnded, link.failure),
                LossProbe.LONGEST.plus(SETUP_LIMIT).toNanos(), () -> "receiving the loss probe");
        ConnectionStats after = pollStats(stats);
        link.send(after == null ? new Unsupported("no connection stats after the loss probe")
                : new ProbeResult(after.packetsReceived() - before.packetsReceived(),
                        after.packetsSent() - before.packetsSent()));
    }

    /** Most stripes a receiver accepts: each is a peer connection with its own sockets and threads of work. */
    public static final int MAX_WIDTH = StreamChoice.LOSSY_MAX;

    /**
     * The in-band negotiation over the main channel. Its state (the peers, candidates held until their stripe's
     * description is out, whether the channel is handed over) belongs to one thread, {@code actor}, which also
     * sends every message in order: the channel listener, the peers' candidate callbacks and the futures of the
     * offer and answer only hand work to it. The listener itself does one thing at once: at the message after
     * which the main channel carries the transfer, it stops listening, so that what follows waits for the
     * transfer's own listener instead of reaching this one.
     */
    private static final class InBand implements MessageChannel.Listener {
        final MessageChannel main;
        final ExecutorService actor = Threads.serial("rtcat-stripes");
        // Confined to the actor; the answering side reads peers only after close() has stopped it.
        final Map<Integer, Peer> peers = new TreeMap<>();
        final Map<Integer, List<IceCandidate>> heldCandidates = new HashMap<>();
        final Set<Integer> described = new HashSet<>();
        boolean handedOver;
        final CompletableFuture<Announce> announced = new CompletableFuture<>();
        /** Completed with the sender's {@link Ready} or {@link Abandon}. */
        final CompletableFuture<Message> ended = new CompletableFuture<>();
        final CompletableFuture<Object> failure = new CompletableFuture<>();
        final CompletableFuture<ProbeReady> probeReady = new CompletableFuture<>();
        final CompletableFuture<ProbeEnd> probeEnded = new CompletableFuture<>();
        final CompletableFuture<ProbeResult> probeResult = new CompletableFuture<>();
        /** Receiver: between an announcement with a probe and the probe's end mark, binary data is the probe's. */
        volatile boolean probing;
        /** Sender: the probe's bytes handed to the channel (written by the actor, read after the result). */
        volatile long probeBytes;
        /** Where the answering side creates the stripes' peers; null on the offering side. */
        final PeerEngine engine;
        final PeerConfig config;

        InBand(MessageChannel main, PeerEngine engine, PeerConfig config) {
            this.main = main;
            this.engine = engine;
            this.config = config;
            // Last: messages already waiting are delivered at once, from inside this call.
            main.setListener(this);
        }

        /** Runs {@code task} on the actor; once the negotiation is closed, nothing more happens. */
        private void later(Runnable task) {
            try {
                actor.execute(task);
            } catch (RejectedExecutionException e) {
                // Closed: e.g. a late candidate after the stripes connected.
            }
        }

        void register(int index, Peer peer) {
            later(() -> peers.put(index, peer));
        }

        void send(Message message) {
            later(() -> sendNow(message));
        }

        /** On the actor. */
        private void sendNow(Message message) {
            if (handedOver) {
                return; // e.g. a late candidate: the stripes are already connected
            }
            try {
                main.sendText(StripeMessages.encode(message));
            } catch (IOException e) {
                failure.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                        "the connection failed while setting up stripes: " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Sends the set-up's last message (stripes-ready or stripes-abandon); nothing follows it on the main
         * channel, not even a candidate gathered meanwhile: the peer has moved on to the transfer protocol (a
         * browser page, which never stripes, would take a late candidate for a broken transfer).
         */
        void sendLast(Message message) {
            later(() -> {
                sendNow(message);
                handedOver = true;
            });
        }

        /** Sends a description, then the candidates gathered before it (a candidate must not overtake it). */
        void sendDescription(Message description) {
            later(() -> {
                int index = description instanceof StripeOffer o ? o.index() : ((StripeAnswer) description).index();
                sendNow(description);
                described.add(index);
                for (IceCandidate c : heldCandidates.getOrDefault(index, List.of())) {
                    sendCandidate(index, c);
                }
                heldCandidates.remove(index);
            });
        }

        PeerEvents candidateSender(int index) {
            return new PeerEvents() {
                @Override
                public void onLocalCandidate(IceCandidate c) {
                    later(() -> {
                        if (described.contains(index)) {
                            sendCandidate(index, c);
                        } else {
                            heldCandidates.computeIfAbsent(index, k -> new ArrayList<>()).add(c);
                        }
                    });
                }
            };
        }

        /**
         * Sends throw-away data for {@code length} and {@link LossProbe#ENOUGH_BYTES} (at most
         * {@link LossProbe#LONGEST} and {@link LossProbe#MAX_BYTES}), one message queued at a
         * time so that what is queued when the time is up is little (on a lossy path the queue drains slowly),
         * then the end mark. On the actor, like every other send.
         */
        void sendProbe(Duration length) {
            later(() -> {
                ByteBuffer chunk = ByteBuffer.allocate(LossProbe.CHUNK_BYTES);
                long start = System.nanoTime();
                long softEnd = start + length.toNanos();
                long hardEnd = start + LossProbe.LONGEST.toNanos();
                try {
                    long sent = 0;
                    while (sent < LossProbe.MAX_BYTES) {
                        long now = System.nanoTime();
                        if (now >= hardEnd || now >= softEnd && sent >= LossProbe.ENOUGH_BYTES) {
                            break;
                        }
                        main.sendBinary(chunk.duplicate());
                        sent += LossProbe.CHUNK_BYTES;
                        probeBytes = sent;
                        long left = TimeUnit.NANOSECONDS.toMillis(hardEnd - System.nanoTime());
                        if (left <= 0 || !drained(left)) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    failure.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                            "the connection failed during the loss probe: " + e.getMessage()));
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                sendNow(new ProbeEnd());
            });
        }

        /** Waits until the channel's queue is empty: false when {@code millis} pass first. */
        private boolean drained(long millis) throws IOException, InterruptedException {
            try {
                main.drain(millis);
                return true;
            } catch (IOException e) {
                if (!main.isOpen()) {
                    throw e;
                }
                return false;
            }
        }

        private void sendCandidate(int index, IceCandidate c) {
            sendNow(new StripeCandidate(index, c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
        }

        @Override
        public void onText(String text) {
            Message m;
            try {
                m = StripeMessages.decode(text);
            } catch (RtcatException e) {
                failure.completeExceptionally(e);
                return;
            }
            if (m instanceof Announce a && a.probe() && a.count() > 1) {
                probing = true; // before its data, which follows on this same thread
            } else if (m instanceof ProbeEnd) {
                probing = false;
            }
            if (m instanceof Announce a && a.count() <= 1 || m instanceof Ready || m instanceof Abandon) {
                // The transfer protocol (or its frames) follows at once: hold it for the transfer's own listener.
                main.setListener(null);
            }
            later(() -> handle(m));
        }

        /** On the actor. */
        private void handle(Message m) {
            if (m instanceof Announce a) {
                if (a.count() <= 1) {
                    handedOver = true;
                }
                announced.complete(a);
            } else if (m instanceof StripeOffer offer) {
                acceptOffer(offer);
            } else if (m instanceof StripeAnswer answer) {
                Peer peer = peers.get(answer.index());
                if (peer != null) {
                    peer.acceptAnswer(new SessionDescription(answer.sdpType(), answer.sdp())).whenComplete((v, e) -> {
                        if (e != null) {
                            failure.completeExceptionally(Futures.unwrap(e));
                        }
                    });
                }
            } else if (m instanceof StripeCandidate c) {
                Peer peer = peers.get(c.index());
                if (peer != null) {
                    peer.addRemoteCandidate(new IceCandidate(c.candidate(), c.mid(), c.mline()));
                }
            } else if (m instanceof Ready || m instanceof Abandon) {
                handedOver = true;
                ended.complete(m);
            } else if (m instanceof ProbeReady r) {
                probeReady.complete(r);
            } else if (m instanceof ProbeEnd e) {
                probeEnded.complete(e);
            } else if (m instanceof ProbeResult r) {
                probeResult.complete(r);
            } else if (m instanceof Unsupported u) {
                failure.completeExceptionally(new RtcatException(RtcatException.Kind.PROTOCOL,
                        "the receiver takes one connection only" + (u.why() != null ? " (" + u.why() + ")" : "")));
            } else {
                failure.completeExceptionally(new RtcatException(RtcatException.Kind.PROTOCOL,
                        "unexpected message while setting up stripes: " + ((StripeMessages.Unknown) m).type()));
            }
        }

        /** On the actor. */
        private void acceptOffer(StripeOffer offer) {
            int index = offer.index();
            if (engine == null || index < 1 || index >= MAX_WIDTH || peers.containsKey(index)) {
                failure.completeExceptionally(new RtcatException(RtcatException.Kind.PROTOCOL,
                        "unexpected stripe offer " + index));
                return;
            }
            try {
                Peer peer = engine.newPeer(config, candidateSender(index));
                peers.put(index, peer);
                peer.acceptOffer(new SessionDescription(offer.sdpType(), offer.sdp())).whenComplete((answer, e) -> {
                    if (e != null) {
                        failure.completeExceptionally(Futures.unwrap(e));
                    } else {
                        sendDescription(new StripeAnswer(index, answer.type(), answer.sdp()));
                    }
                });
            } catch (RtcatException e) {
                failure.completeExceptionally(e);
            }
        }

        @Override
        public void onBinary(byte[] data) {
            if (probing) {
                return; // the loss probe's throw-away data
            }
            failure.completeExceptionally(new RtcatException(RtcatException.Kind.PROTOCOL,
                    "unexpected data while setting up stripes"));
        }

        @Override
        public void onClosed(String reason) {
            failure.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "the connection closed while setting up stripes: " + reason));
        }

        /**
         * Lets queued messages go out, then stops the actor (nothing more is sent) and listening (unless handed
         * over). Idempotent.
         */
        void close() {
            later(() -> handedOver = true);
            actor.shutdown();
            try {
                actor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!ended.isDone()) {
                main.setListener(null);
            }
        }
    }
}
