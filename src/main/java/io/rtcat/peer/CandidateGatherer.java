package io.rtcat.peer;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.TlsCertPolicy;
import io.rtcat.errors.RtcatException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One candidate gathering with no remote side, for {@code rtcat probe}: a peer connection with the given ICE
 * servers creates a data channel and an offer (which sets the local description and starts gathering), and
 * records every local candidate, with libwebrtc's {@code serverUrl}, and every ICE server error, each stamped
 * with the time since {@link #start}.
 *
 * <p>This uses its own observer rather than {@link Peer} because {@link Peer} drops the candidate's
 * {@code serverUrl}. Callbacks run on libwebrtc's signaling thread and only record.
 */
public final class CandidateGatherer implements AutoCloseable {

    /** A local candidate: the {@code candidate:...} line, the STUN/TURN URL that produced it (null for host). */
    public record Gathered(String candidate, String serverUrl, long elapsedNanos) {
    }

    /** An {@code icecandidateerror}: the server URL, the STUN error code (401, 701...) and its text. */
    public record ServerError(String url, int code, String text, String localAddress, Integer localPort,
            long elapsedNanos) {
    }

    /** What was recorded so far; {@code completeNanos} is null while gathering still runs. */
    public record Snapshot(List<Gathered> candidates, List<ServerError> errors, Long completeNanos) {
    }

    private final long startNanos;
    private final boolean ipv6;
    private final List<Gathered> candidates = new ArrayList<>();
    private final List<ServerError> errors = new ArrayList<>();
    private final CompletableFuture<Void> complete = new CompletableFuture<>();
    private Long completeNanos;
    private RTCPeerConnection pc;
    private RTCDataChannel channel;
    private boolean closed;

    private CandidateGatherer(boolean ipv6) {
        this.ipv6 = ipv6;
        this.startNanos = System.nanoTime();
    }

    /**
     * Starts gathering with {@code servers} (none: host candidates only). IPv6 candidates are dropped unless
     * {@code ipv6}. Fails if the connection cannot be created; gathering errors arrive as {@link ServerError}s.
     */
    public static CandidateGatherer start(PeerEngine engine, List<IceServerUrl> servers, boolean ipv6)
            throws RtcatException {
        PeerConnectionFactory factory = engine.factory();
        if (factory == null) {
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "the WebRTC engine is shut down");
        }
        CandidateGatherer g = new CandidateGatherer(ipv6);
        try {
            g.pc = factory.createPeerConnection(configuration(servers), g.new Observer());
            if (g.pc == null) {
                throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "cannot create a peer connection");
            }
            // A data channel gives the offer an m= section, so that ICE has something to gather for.
            g.channel = g.pc.createDataChannel("probe", new RTCDataChannelInit());
            g.pc.createOffer(new RTCOfferOptions(), g.new OfferObserver());
        } catch (RuntimeException | Error e) {
            g.close();
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot start candidate gathering: " + e.getMessage(), null, e);
        }
        return g;
    }

    private static RTCConfiguration configuration(List<IceServerUrl> servers) {
        RTCConfiguration rtc = new RTCConfiguration();
        for (IceServerUrl url : servers) {
            RTCIceServer server = new RTCIceServer();
            server.urls = List.of(url.url());
            server.username = url.username();
            server.password = url.password();
            server.tlsCertPolicy = TlsCertPolicy.INSECURE_NO_CHECK;
            rtc.iceServers.add(server);
        }
        rtc.iceTransportPolicy = RTCIceTransportPolicy.ALL;
        PortAllocatorConfig ports = new PortAllocatorConfig();
        // Host TCP candidates are never used by rtcat; TURN over TCP/TLS still works with this set.
        ports.setDisableTcp(true);
        rtc.portAllocatorConfig = ports;
        return rtc;
    }

    /** Completes when libwebrtc reports gathering COMPLETE (or fails if it cannot start). */
    public CompletableFuture<Void> whenComplete() {
        return complete;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(List.copyOf(candidates), List.copyOf(errors), completeNanos);
    }

    /** Closes the connection. Never call from a libwebrtc callback. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (RuntimeException | Error ignored) {
            // Already gone natively.
        }
        try {
            if (pc != null) {
                pc.close();
            }
        } catch (RuntimeException | Error ignored) {
            // Already closed.
        }
        complete.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE, "gathering closed"));
    }

    private long elapsed() {
        return System.nanoTime() - startNanos;
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            long t = elapsed();
            if (!ipv6 && new IceCandidate(candidate.sdp, null, null).address().contains(":")) {
                return;
            }
            String url = candidate.serverUrl == null || candidate.serverUrl.isEmpty() ? null : candidate.serverUrl;
            synchronized (CandidateGatherer.this) {
                candidates.add(new Gathered(candidate.sdp, url, t));
            }
        }

        @Override
        public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
            long t = elapsed();
            synchronized (CandidateGatherer.this) {
                errors.add(new ServerError(event.getUrl(), event.getErrorCode(), event.getErrorText(),
                        event.getAddress(), event.getPort(), t));
            }
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            if (state == RTCIceGatheringState.COMPLETE) {
                long t = elapsed();
                synchronized (CandidateGatherer.this) {
                    if (completeNanos == null) {
                        completeNanos = t;
                    }
                }
                complete.complete(null);
            }
        }

        @Override
        public void onDataChannel(RTCDataChannel dataChannel) {
            // No remote side: never called.
        }
    }

    private final class OfferObserver implements CreateSessionDescriptionObserver {
        @Override
        public void onSuccess(RTCSessionDescription description) {
            try {
                pc.setLocalDescription(description, new SetSessionDescriptionObserver() {
                    @Override
                    public void onSuccess() {
                        // Gathering has started; candidates arrive through the observer.
                    }

                    @Override
                    public void onFailure(String error) {
                        complete.completeExceptionally(new RtcatException(RtcatException.Kind.FAILED,
                                "cannot set the local description: " + error));
                    }
                });
            } catch (RuntimeException | Error e) {
                complete.completeExceptionally(new RtcatException(RtcatException.Kind.FAILED,
                        "cannot set the local description: " + e.getMessage(), null, e));
            }
        }

        @Override
        public void onFailure(String error) {
            complete.completeExceptionally(new RtcatException(RtcatException.Kind.FAILED,
                    "cannot create an offer: " + error));
        }
    }
}
