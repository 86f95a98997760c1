package io.rtcat.session;

import static io.rtcat.json.Mappers.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.Threads;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.MessageChannel;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.peer.PeerEvents;
import io.rtcat.peer.PendingChannel;
import io.rtcat.peer.SessionDescription;
import io.rtcat.signaling.LostWriteRepair;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A tracker whose operator puts itself in the middle: it speaks the WebTorrent tracker protocol to two peers, answers
 * the first offer with a WebRTC peer of its own and offers the other peer a second one of its own (under the first
 * peer's peer_id), then relays everything on the rtcat-pake channels between its two connections. DTLS succeeds on
 * both legs (each is a real connection to the operator), the PAKE succeeds through the relay (both peers know the
 * code): only the fingerprint binding can notice.
 */
final class MitmTracker extends WebSocketServer implements AutoCloseable {

    private final PeerEngine engine;
    private final Map<String, WebSocket> peers = new LinkedHashMap<>();
    private final ExecutorService worker = Threads.serial("mitm-tracker");
    /** Sends relayed messages, so that neither the worker nor a peer's callback thread waits on the other leg. */
    private final ExecutorService relayer = Threads.serial("mitm-relay");
    private final AtomicInteger relayed = new AtomicInteger();
    private final AtomicInteger mainChannelMessages = new AtomicInteger();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final LostWriteRepair lostWrites = LostWriteRepair.of(this);
    private boolean attacking;
    private Peer towardsOfferer;
    private Peer towardsAnswerer;
    private String answererId;
    private String infoHash;

    private MitmTracker(PeerEngine engine) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.engine = engine;
        setReuseAddr(true);
    }

    static MitmTracker start(PeerEngine engine) throws Exception {
        MitmTracker t = new MitmTracker(engine);
        t.start();
        t.port.get(10, TimeUnit.SECONDS);
        return t;
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port.join() + "/");
    }

    /** PAKE and binding messages the operator passed between the two legs. */
    int relayed() {
        return relayed.get();
    }

    /** Messages either peer sent on its caller's channel (file bytes would go there). */
    int mainChannelMessages() {
        return mainChannelMessages.get();
    }

    @Override
    public void onStart() {
        port.complete(getPort());
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        port.completeExceptionally(ex);
    }

    @Override
    public void onMessage(WebSocket conn, String text) {
        worker.execute(() -> handle(conn, text));
    }

    private void handle(WebSocket conn, String text) {
        try {
            JsonNode m = JSON.readTree(text);
            String from = m.path("peer_id").asText();
            infoHash = m.path("info_hash").asText();
            peers.putIfAbsent(from, conn);
            if (m.has("answer") && from.equals(answererId) && towardsAnswerer != null) {
                towardsAnswerer.acceptAnswer(new SessionDescription("answer", m.path("answer").path("sdp").asText()));
                return;
            }
            JsonNode offers = m.path("offers");
            if (attacking || !offers.isArray() || offers.isEmpty() || peers.size() < 2) {
                return;
            }
            String other = peers.keySet().stream().filter(id -> !id.equals(from)).findFirst().orElseThrow();
            attacking = true;
            attack(conn, from, offers.get(0), other);
        } catch (Exception e) {
            // not for this stand-in
        }
    }

    /** Leg 1 answers {@code offerer}'s offer; leg 2 offers to {@code answerer} in the offerer's name. */
    private void attack(WebSocket offererSocket, String offerer, JsonNode offer, String answerer) throws Exception {
        CompletableFuture<Void> gathered1 = new CompletableFuture<>();
        towardsOfferer = engine.newPeer(PeerConfig.defaults(), gatherInto(gathered1));
        PendingChannel pake1 = towardsOfferer.openChannel(pakeChannel());
        towardsOfferer.acceptOffer(new SessionDescription("offer", offer.path("offer").path("sdp").asText()))
                .get(10, TimeUnit.SECONDS);
        gathered1.get(10, TimeUnit.SECONDS);
        ObjectNode answer = JSON.createObjectNode().put("action", "announce").put("info_hash", infoHash)
                .put("peer_id", answerer).put("offer_id", offer.path("offer_id").asText());
        answer.putObject("answer").put("type", "answer").put("sdp", towardsOfferer.localDescription().sdp());
        offererSocket.send(answer.toString());

        CompletableFuture<Void> gathered2 = new CompletableFuture<>();
        towardsAnswerer = engine.newPeer(PeerConfig.defaults(), gatherInto(gathered2));
        MessageChannel main2 = towardsAnswerer.openChannel(ChannelOptions.reliable("rtcat")).channel();
        PendingChannel pake2 = towardsAnswerer.openChannel(pakeChannel());
        towardsAnswerer.createOffer().get(10, TimeUnit.SECONDS);
        gathered2.get(10, TimeUnit.SECONDS);
        answererId = answerer;
        ObjectNode forged = JSON.createObjectNode().put("action", "announce").put("info_hash", infoHash)
                .put("peer_id", offerer).put("offer_id", "mitmmitmmitmmitmmitm");
        forged.putObject("offer").put("type", "offer").put("sdp", towardsAnswerer.localDescription().sdp());
        peers.get(answerer).send(forged.toString());

        relay(pake1, pake2);
        relay(pake2, pake1);
        main2.setListener(MessageChannel.Listener.textOnly(t -> mainChannelMessages.incrementAndGet()));
        towardsOfferer.incomingChannel().thenAccept(main1 ->
                main1.setListener(MessageChannel.Listener.textOnly(t -> mainChannelMessages.incrementAndGet())));
    }

    /**
     * Passes {@code from}'s messages to {@code to} in arrival order, once {@code to} is open. Never waits on the
     * worker: the first PAKE round usually arrives before leg 2 is open, and leg 2 opens only when the worker
     * applies the answerer's answer. Waiting there (as this once did) held that answer back until the wait gave
     * up and dropped the round, so the peers saw "PAKE round out of order" instead of a failed binding.
     */
    private void relay(PendingChannel from, PendingChannel to) {
        Object lock = new Object();
        CompletableFuture<?>[] tail = {to.opened()};
        from.channel().setListener(MessageChannel.Listener.textOnly(text -> {
            synchronized (lock) {
                tail[0] = tail[0].thenRunAsync(() -> {
                    try {
                        to.channel().sendText(text);
                        relayed.incrementAndGet();
                    } catch (Exception e) {
                        // the leg is gone
                    }
                }, relayer);
            }
        }));
    }

    private static ChannelOptions pakeChannel() {
        return new ChannelOptions(TrackerAttempt.PAKE_LABEL, true, null, null, ChannelOptions.MAX_STREAM_ID);
    }

    private static PeerEvents gatherInto(CompletableFuture<Void> gathered) {
        return new PeerEvents() {
            @Override
            public void onGatheringComplete() {
                gathered.complete(null);
            }
        };
    }

    @Override
    public void close() throws Exception {
        worker.shutdownNow();
        relayer.shutdownNow();
        stop(2000);
        lostWrites.close();
        for (Peer p : new Peer[] {towardsOfferer, towardsAnswerer}) {
            if (p != null) {
                p.close();
            }
        }
    }
}
