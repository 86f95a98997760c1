package io.rtcat.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.IceCandidate;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.peer.PeerEvents;
import io.rtcat.peer.SessionDescription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

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
 *   stripes-ready | stripes-abandon   ->
 *                                     <-      stripes-unsupported {why}  (a peer with one connection only, such as
 *                                             the browser page: the sender goes on with the main channel)
 * </pre>
 */
public final class Stripes implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest a transfer waits for its extra connections before going on with one. */
    static final Duration SETUP_LIMIT = Duration.ofSeconds(20);

    private final MessageChannel channel;
    private final StripedChannel striped;
    private final List<Peer> extraPeers;
    private final String reason;

    private Stripes(MessageChannel channel, StripedChannel striped, List<Peer> extraPeers, String reason) {
        this.channel = channel;
        this.striped = striped;
        this.extraPeers = extraPeers;
        this.reason = reason;
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

    /** Offering side: asks for {@code width} stripes (1 = none) over {@code main}; returns when they are usable. */
    public static Stripes offer(PeerEngine engine, PeerConfig config, MessageChannel main, int width, String reason,
            Consumer<String> log) throws RtcatException {
        InBand link = new InBand(main, null, null);
        link.send(JSON.createObjectNode().put("type", "stripes").put("count", width).put("reason", reason));
        if (width <= 1) {
            link.close();
            return new Stripes(main, null, List.of(), reason);
        }
        List<Peer> peers = new ArrayList<>();
        List<CompletableFuture<MessageChannel>> opened = new ArrayList<>();
        try {
            for (int i = 1; i < width; i++) {
                Peer peer = engine.newPeer(config, link.candidateSender(i));
                peers.add(peer);
                link.peers.put(i, peer);
                opened.add(peer.openChannel(ChannelOptions.reliable("rtcat-stripe-" + i)).opened());
            }
            for (int i = 1; i < width; i++) {
                SessionDescription offer = Futures.await(peers.get(i - 1).createOffer(),
                        SETUP_LIMIT.toNanos(), () -> "creating a stripe offer");
                link.sendDescription("stripe-offer", i, offer);
            }
            List<MessageChannel> channels = new ArrayList<>(List.of(main));
            long deadline = System.nanoTime() + SETUP_LIMIT.toNanos();
            for (CompletableFuture<MessageChannel> f : opened) {
                channels.add(Futures.await(CompletableFuture.anyOf(f, link.failure).thenApply(o -> (MessageChannel) o),
                        deadline - System.nanoTime(), () -> "opening the extra connections"));
            }
            link.sendLast(JSON.createObjectNode().put("type", "stripes-ready").put("count", width));
            link.close(); // (sends what is queued, then stops: late candidates are not needed any more)
            log.accept(width + " stripes open");
            StripedChannel striped = new StripedChannel(channels);
            return new Stripes(striped, striped, peers, reason);
        } catch (RtcatException e) {
            log.accept("stripes: " + e.getMessage() + "; going on with one connection");
            link.sendLast(JSON.createObjectNode().put("type", "stripes-abandon").put("why", e.getMessage()));
            link.close();
            peers.forEach(Peer::close);
            return new Stripes(main, null, List.of(), "fell back to 1 stream: " + e.getMessage());
        }
    }

    // ---- receiver ----

    /** Answering side: waits for the sender's announcement and follows it. */
    public static Stripes answer(PeerEngine engine, PeerConfig config, MessageChannel main, Duration timeout,
            Consumer<String> log) throws RtcatException {
        InBand link = new InBand(main, engine, config);
        try {
            JsonNode announced = Futures.await(CompletableFuture.anyOf(link.announced, link.failure)
                    .thenApply(o -> (JsonNode) o), timeout.toNanos(), () -> "waiting for the sender to start");
            int width = announced.path("count").asInt(1);
            String reason = announced.path("reason").asText("");
            if (width <= 1) {
                return new Stripes(main, null, List.of(), reason);
            }
            if (width > MAX_WIDTH) {
                throw new RtcatException(RtcatException.Kind.PROTOCOL, "the sender asked for " + width
                        + " stripes; at most " + MAX_WIDTH + " are allowed");
            }
            JsonNode end = Futures.await(CompletableFuture.anyOf(link.ended, link.failure)
                    .thenApply(o -> (JsonNode) o), SETUP_LIMIT.plusSeconds(10).toNanos(),
                    () -> "setting up the extra connections");
            List<Peer> peers = new ArrayList<>(link.peers.values());
            if (!end.path("type").asText().equals("stripes-ready")) {
                log.accept("stripes abandoned by the sender: " + end.path("why").asText());
                peers.forEach(Peer::close);
                return new Stripes(main, null, List.of(), "fell back to 1 stream: " + end.path("why").asText());
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

    /** Most stripes a receiver accepts: each is a peer connection with its own sockets and threads of work. */
    public static final int MAX_WIDTH = 16;

    /** The in-band negotiation over the main channel: a temporary listener plus an ordered sender. */
    private static final class InBand implements MessageChannel.Listener {
        final MessageChannel main;
        final ExecutorService out = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rtcat-stripes");
            t.setDaemon(true);
            return t;
        });
        final java.util.Map<Integer, Peer> peers = new java.util.concurrent.ConcurrentSkipListMap<>();
        final java.util.Map<Integer, List<IceCandidate>> heldCandidates = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Set<Integer> described = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final CompletableFuture<JsonNode> announced = new CompletableFuture<>();
        final CompletableFuture<JsonNode> ended = new CompletableFuture<>();
        final CompletableFuture<Object> failure = new CompletableFuture<>();
        /** Where the answering side creates the stripes' peers; null on the offering side. */
        final PeerEngine engine;
        final PeerConfig config;
        /** Set once the main channel is handed over: nothing more may be sent on it unframed. */
        volatile boolean handedOver;

        InBand(MessageChannel main, PeerEngine engine, PeerConfig config) {
            this.main = main;
            this.engine = engine;
            this.config = config;
            // Last: messages already waiting are delivered at once, from inside this call.
            main.setListener(this);
        }

        void send(ObjectNode message) {
            if (handedOver) {
                return; // e.g. a late candidate: the stripes are already connected
            }
            String text = message.toString();
            try {
                out.execute(() -> {
                try {
                    main.sendText(text);
                } catch (IOException e) {
                    failure.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                            "the connection failed while setting up stripes: " + e.getMessage()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Handed over meanwhile: nothing more goes out unframed.
            }
        }

        /**
         * Sends the set-up's last message (stripes-ready or stripes-abandon); nothing follows it on the main
         * channel, not even a candidate gathered meanwhile: the peer has moved on to the transfer protocol (a
         * browser page, which never stripes, would take a late candidate for a broken transfer).
         */
        void sendLast(ObjectNode message) {
            synchronized (this) { // the lock candidates are sent under
                send(message);
                handedOver = true;
            }
        }

        /** Sends a description, then the candidates gathered before it (a candidate must not overtake it). */
        void sendDescription(String type, int index, SessionDescription d) {
            synchronized (this) {
                send(JSON.createObjectNode().put("type", type).put("index", index).put("sdp_type", d.type())
                        .put("sdp", d.sdp()));
                described.add(index);
                for (IceCandidate c : heldCandidates.getOrDefault(index, List.of())) {
                    sendCandidate(index, c);
                }
                heldCandidates.remove(index);
            }
        }

        PeerEvents candidateSender(int index) {
            return new PeerEvents() {
                @Override
                public void onLocalCandidate(IceCandidate c) {
                    synchronized (InBand.this) {
                        if (described.contains(index)) {
                            sendCandidate(index, c);
                        } else {
                            heldCandidates.computeIfAbsent(index, k -> new ArrayList<>()).add(c);
                        }
                    }
                }
            };
        }

        void sendCandidate(int index, IceCandidate c) {
            ObjectNode m = JSON.createObjectNode().put("type", "stripe-candidate").put("index", index)
                    .put("candidate", c.candidate()).put("mid", c.sdpMid());
            if (c.sdpMLineIndex() != null) {
                m.put("mline", c.sdpMLineIndex());
            }
            send(m);
        }

        @Override
        public void onText(String text) {
            JsonNode m;
            try {
                m = JSON.readTree(text);
            } catch (IOException e) {
                failure.completeExceptionally(new RtcatException(RtcatException.Kind.PROTOCOL,
                        "malformed message while setting up stripes"));
                return;
            }
            String type = m.path("type").asText();
            int index = m.path("index").asInt(-1);
            switch (type) {
                case "stripes" -> {
                    if (m.path("count").asInt(1) <= 1) {
                        // The transfer protocol follows at once: hold it for the transfer's own listener.
                        handedOver = true;
                        main.setListener(null);
                    }
                    announced.complete(m);
                }
                case "stripe-offer" -> acceptOffer(index, m);
                case "stripe-answer" -> {
                    Peer peer = peers.get(index);
                    if (peer != null) {
                        peer.acceptAnswer(new SessionDescription(m.path("sdp_type").asText(), m.path("sdp").asText()))
                                .whenComplete((v, e) -> {
                                    if (e != null) {
                                        failure.completeExceptionally(Futures.unwrap(e));
                                    }
                                });
                    }
                }
                case "stripe-candidate" -> {
                    Peer peer = peers.get(index);
                    if (peer != null) {
                        peer.addRemoteCandidate(new IceCandidate(m.path("candidate").asText(),
                                m.path("mid").asText(null), m.hasNonNull("mline") ? m.get("mline").asInt() : null));
                    }
                }
                case "stripes-ready", "stripes-abandon" -> {
                    // From here on the main channel carries frames: hold them until the striped channel listens.
                    handedOver = true;
                    main.setListener(null);
                    ended.complete(m);
                }
                case "stripes-unsupported" -> failure.completeExceptionally(new RtcatException(
                        RtcatException.Kind.PROTOCOL, "the receiver takes one connection only"
                                + (m.hasNonNull("why") ? " (" + m.get("why").asText() + ")" : "")));
                default -> failure.completeExceptionally(new RtcatException(RtcatException.Kind.PROTOCOL,
                        "unexpected message while setting up stripes: " + type));
            }
        }

        private void acceptOffer(int index, JsonNode m) {
            if (engine == null || index < 1 || index >= MAX_WIDTH || peers.containsKey(index)) {
                failure.completeExceptionally(new RtcatException(RtcatException.Kind.PROTOCOL,
                        "unexpected stripe offer " + index));
                return;
            }
            try {
                Peer peer = engine.newPeer(config, candidateSender(index));
                peers.put(index, peer);
                peer.acceptOffer(new SessionDescription(m.path("sdp_type").asText(), m.path("sdp").asText()))
                        .whenComplete((answer, e) -> {
                            if (e != null) {
                                failure.completeExceptionally(Futures.unwrap(e));
                            } else {
                                sendDescription("stripe-answer", index, answer);
                            }
                        });
            } catch (RtcatException e) {
                failure.completeExceptionally(e);
            }
        }

        @Override
        public void onBinary(byte[] data) {
            failure.completeExceptionally(new RtcatException(RtcatException.Kind.PROTOCOL,
                    "unexpected data while setting up stripes"));
        }

        @Override
        public void onClosed(String reason) {
            failure.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "the connection closed while setting up stripes: " + reason));
        }

        /** Stops listening (unless already handed over) and lets queued messages go out. */
        void close() {
            handedOver = true;
            out.shutdown();
            try {
                out.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!ended.isDone()) {
                main.setListener(null);
            }
        }
    }
}
