package io.rtcat.peer;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;
import io.rtcat.errors.RtcatException;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stats.StatsEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One WebRTC peer connection: data channels, and optionally synthetic media to send ({@link #sendMedia}) or
 * counted on arrival ({@link #receivedMedia}).
 *
 * <p>Offer/answer steps return futures; callers put deadlines on them. Remote candidates that arrive
 * before the remote description are queued and applied once it is set. libwebrtc throws
 * {@code java.lang.Error} for bad SDP or candidates; those become {@link RtcatException}s here.
 */
public final class Peer implements AutoCloseable {

    private final PeerConnectionFactory factory;
    private final AudioDeviceModuleBase deviceModule;
    private final RTCPeerConnection pc;
    private final MediaSinks sinks = new MediaSinks();
    private MediaSender media;
    private volatile PeerConfig config;
    /** Set once an offer or answer is being made: ICE servers added later would not be used (see addIceServers). */
    private boolean gatheringStarted;
    private final PeerEvents events;
    private final Consumer<Peer> onClose;
    private final CompletableFuture<MessageChannel> incoming = new CompletableFuture<>();
    private final List<IceCandidate> queuedRemote = new ArrayList<>();
    private final List<DataChannelMessageChannel> channels = new ArrayList<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private volatile Consumer<RTCDataChannel> rawIncoming;
    private boolean remoteDescriptionSet;
    private boolean closed;

    Peer(PeerConnectionFactory factory, AudioDeviceModuleBase deviceModule, PeerConfig config, PeerEvents events,
            Consumer<Peer> onClose) throws RtcatException {
        this.factory = factory;
        this.deviceModule = deviceModule;
        this.config = config;
        this.events = events;
        this.onClose = onClose;
        try {
            this.pc = factory.createPeerConnection(NativeMappings.rtcConfiguration(config), new Observer());
        } catch (RuntimeException | Error e) {
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot create a peer connection: " + e.getMessage(), null, e);
        }
        if (pc == null) {
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "cannot create a peer connection");
        }
    }

    // ---- offer / answer ----

    /**
     * Adds ICE servers (e.g. handed out late by a signaling server) if candidate gathering has not started yet,
     * and returns whether they were added. Afterwards libwebrtc would only use them after an ICE restart (its
     * SetConfiguration marks the next offer as a restart; the running gathering keeps its servers), which this
     * one-shot handshake never does, so they are refused rather than silently unused.
     */
    public synchronized boolean addIceServers(List<IceServerUrl> more) throws RtcatException {
        if (more.isEmpty() || gatheringStarted || closed) {
            return false;
        }
        PeerConfig wider = config.withMoreIceServers(more);
        wider.validate(); // libwebrtc crashes on e.g. a turn: URL without credentials
        try {
            pc.setConfiguration(NativeMappings.rtcConfiguration(wider));
        } catch (RuntimeException | Error e) {
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot use the ICE servers the signaling server offered: " + e.getMessage(), null, e);
        }
        config = wider;
        return true;
    }

    /** The ICE servers this peer gathers with, including any {@link #addIceServers added} ones. */
    public List<IceServerUrl> iceServers() {
        return config.iceServers();
    }

    private synchronized void startGathering() {
        gatheringStarted = true;
    }

    /** Creates an offer and sets it as the local description. */
    public CompletableFuture<SessionDescription> createOffer() {
        startGathering();
        CompletableFuture<SessionDescription> result = new CompletableFuture<>();
        pc.createOffer(new RTCOfferOptions(), new CreateObserver(result));
        return result;
    }

    /** Applies a remote offer, then creates and sets the answer. */
    public CompletableFuture<SessionDescription> acceptOffer(SessionDescription offer) {
        startGathering();
        return setRemote(offer).thenCompose(v -> {
            CompletableFuture<SessionDescription> result = new CompletableFuture<>();
            pc.createAnswer(new RTCAnswerOptions(), new CreateObserver(result));
            return result;
        });
    }

    /** Applies the remote answer to our offer. */
    public CompletableFuture<Void> acceptAnswer(SessionDescription answer) {
        return setRemote(answer);
    }

    /** The current local description, including every candidate gathered so far; null before an offer. */
    public SessionDescription localDescription() {
        RTCSessionDescription d = pc.getLocalDescription();
        return d == null ? null : new SessionDescription(NativeMappings.typeName(d.sdpType), NativeMappings.filterSdp(d.sdp, config.ipv6()));
    }

    private CompletableFuture<Void> setRemote(SessionDescription description) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        RTCSessionDescription rtc;
        try {
            rtc = new RTCSessionDescription(NativeMappings.sdpType(description.type()), description.sdp());
            pc.setRemoteDescription(rtc, new SetObserver(done, () -> {
                List<IceCandidate> queued;
                synchronized (this) {
                    remoteDescriptionSet = true;
                    queued = new ArrayList<>(queuedRemote);
                    queuedRemote.clear();
                }
                for (IceCandidate c : queued) {
                    applyRemoteCandidate(c);
                }
            }));
        } catch (RtcatException e) {
            done.completeExceptionally(e);
        } catch (RuntimeException | Error e) {
            done.completeExceptionally(new RtcatException(RtcatException.Kind.PROTOCOL,
                    "the peer sent an invalid session description: " + e.getMessage(), null, e));
        }
        return done;
    }

    /** Adds a remote candidate, or queues it until the remote description is set. */
    public void addRemoteCandidate(IceCandidate candidate) {
        if (candidate.isEndOfCandidates() || (!config.ipv6() && NativeMappings.isIpv6(candidate))) {
            return;
        }
        synchronized (this) {
            if (!remoteDescriptionSet) {
                queuedRemote.add(candidate);
                return;
            }
        }
        applyRemoteCandidate(candidate);
    }

    private void applyRemoteCandidate(IceCandidate c) {
        int index = c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex();
        try {
            pc.addIceCandidate(new RTCIceCandidate(c.sdpMid(), index, c.candidate()));
        } catch (RuntimeException | Error e) {
            // A malformed candidate from the peer: skip it; ICE still works with the others.
        }
    }

    // ---- data channels ----

    /** Creates a data channel; it opens once the connection is up ({@link PendingChannel#opened}). */
    public PendingChannel openChannel(ChannelOptions options) throws RtcatException {
        options.validate();
        RTCDataChannelInit init = new RTCDataChannelInit();
        init.ordered = options.ordered();
        if (options.maxRetransmits() != null) {
            init.maxRetransmits = options.maxRetransmits();
        }
        if (options.maxPacketLifeTime() != null) {
            init.maxPacketLifeTime = options.maxPacketLifeTime();
        }
        if (options.negotiatedId() != null) {
            init.negotiated = true;
            init.id = options.negotiatedId();
        }
        synchronized (this) {
            if (closed) {
                throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "the peer connection is closed");
            }
            for (DataChannelMessageChannel existing : channels) {
                if (options.negotiatedId() != null && options.negotiatedId().equals(existing.negotiatedId())) {
                    throw new RtcatException(RtcatException.Kind.USAGE,
                            "data channel id " + options.negotiatedId() + " is already in use");
                }
            }
            RTCDataChannel dc = pc.createDataChannel(options.label(), init);
            DataChannelMessageChannel channel = new DataChannelMessageChannel(dc, config.highWatermark());
            channels.add(channel);
            return new PendingChannel(channel, channel.opened());
        }
    }

    /** The first channel the remote side opens, once it is open. */
    public CompletableFuture<MessageChannel> incomingChannel() {
        return incoming;
    }

    /** What one of this peer's channels (opened or accepted) was opened with, as the native side reports it. */
    public synchronized ChannelOptions describe(MessageChannel channel) {
        for (DataChannelMessageChannel own : channels) {
            if (own == channel) {
                return own.options();
            }
        }
        throw new IllegalArgumentException("not a data channel of this peer");
    }

    /** Completes when the connection state reaches connected; fails on failed/closed. */
    public CompletableFuture<Void> connected() {
        return connected;
    }

    // ---- media ----

    /**
     * Adds send-only synthetic video and/or audio (either may be null) and starts their generators. Call before
     * {@link #createOffer()}: the tracks are part of the offer.
     */
    public synchronized void sendMedia(VideoSpec video, AudioSpec audio) throws RtcatException {
        if (closed) {
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "the peer connection is closed");
        }
        if (media != null) {
            throw new IllegalStateException("media already added");
        }
        MediaSender added = MediaSender.add(factory, pc, video, audio);
        media = added;
        if (audio != null) {
            // Off the signaling thread: stopping device capture waits for the module's own thread.
            connected.thenRunAsync(() -> added.startAudio(deviceModule));
        }
    }

    /** What the remote tracks delivered so far. */
    public ReceivedMedia receivedMedia() {
        return sinks.snapshot();
    }

    // ---- raw access for the benchmark baseline (package-private) ----

    RTCPeerConnection raw() {
        return pc;
    }

    /** Routes the next remote-opened channel to {@code handler} instead of wrapping it. */
    void rawIncoming(Consumer<RTCDataChannel> handler) {
        this.rawIncoming = handler;
    }

    // ---- stats ----

    /** Selected pair, RTT, DTLS parameters and byte counters. */
    public CompletableFuture<ConnectionStats> stats() {
        return report(StatsMapper::map);
    }

    /**
     * {@link #stats()} as of this call or later. libwebrtc answers getStats from its last report for 50 ms after
     * making it (RTCStatsCollector's cache), so counters read right after an event (the loss probe reads them
     * as a message arrives) could stand for a moment before it: measured at 100 ms RTT, the receiver counted two
     * packets the sender had sent before its own reading. A report older than the question is asked again once
     * that cache has expired (at most twice more).
     */
    public CompletableFuture<ConnectionStats> freshStats() {
        long askedMicros = System.currentTimeMillis() * 1000;
        CompletableFuture<ConnectionStats> result = new CompletableFuture<>();
        readFresh(askedMicros, 2, result);
        return result;
    }

    /** Completes {@code result} with a report made after {@code askedMicros}; a cached one reads as null here. */
    private void readFresh(long askedMicros, int retries, CompletableFuture<ConnectionStats> result) {
        report(r -> r.getTimestamp() < askedMicros && retries > 0 ? null : StatsMapper.map(r))
                .whenComplete((stats, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else if (stats == null) {
                        CompletableFuture.runAsync(() -> readFresh(askedMicros, retries - 1, result),
                                CompletableFuture.delayedExecutor(STATS_CACHE_MILLIS, TimeUnit.MILLISECONDS));
                    } else {
                        result.complete(stats);
                    }
                });
    }

    /** How long libwebrtc hands out a stats report again (50 ms), with a little margin. */
    private static final long STATS_CACHE_MILLIS = 60;

    /** The whole stats report, every object with all its attributes (for --stats-dump). */
    public CompletableFuture<List<StatsEntry>> fullStats() {
        return report(StatsMapper::dump);
    }

    private <T> CompletableFuture<T> report(Function<RTCStatsReport, T> mapper) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            pc.getStats(report -> {
                try {
                    result.complete(mapper.apply(report));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "cannot read connection stats: " + e.getMessage(), null, e));
        }
        return result;
    }

    /** Closes channels, then the connection. Never call from a peer callback. */
    @Override
    public void close() {
        List<DataChannelMessageChannel> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(channels);
        }
        for (DataChannelMessageChannel ch : toClose) {
            ch.close();
        }
        incoming.thenAccept(MessageChannel::close);
        MediaSender sending;
        synchronized (this) {
            sending = media;
        }
        if (sending != null) {
            sending.close();
        }
        sinks.detachAll();
        try {
            pc.close();
        } catch (RuntimeException | Error ignored) {
            // Already closed natively.
        }
        if (sending != null) {
            sending.dispose();
        }
        connected.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE, "peer closed"));
        onClose.accept(this);
    }

    // ---- helpers ----

    private static String stateName(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private final class CreateObserver implements CreateSessionDescriptionObserver {
        private final CompletableFuture<SessionDescription> result;

        CreateObserver(CompletableFuture<SessionDescription> result) {
            this.result = result;
        }

        @Override
        public void onSuccess(RTCSessionDescription description) {
            CompletableFuture<Void> set = new CompletableFuture<>();
            pc.setLocalDescription(description, new SetObserver(set, () -> {
            }));
            set.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(new SessionDescription(NativeMappings.typeName(description.sdpType),
                            NativeMappings.filterSdp(description.sdp, config.ipv6())));
                }
            });
        }

        @Override
        public void onFailure(String error) {
            result.completeExceptionally(new RtcatException(RtcatException.Kind.FAILED,
                    "cannot create a session description: " + error));
        }
    }

    private static final class SetObserver implements SetSessionDescriptionObserver {
        private final CompletableFuture<Void> done;
        private final Runnable then;

        SetObserver(CompletableFuture<Void> done, Runnable then) {
            this.done = done;
            this.then = then;
        }

        @Override
        public void onSuccess() {
            then.run();
            done.complete(null);
        }

        @Override
        public void onFailure(String error) {
            done.completeExceptionally(new RtcatException(RtcatException.Kind.PROTOCOL,
                    "cannot apply session description: " + error));
        }
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            IceCandidate c = new IceCandidate(candidate.sdp, candidate.sdpMid, candidate.sdpMLineIndex);
            if (!config.ipv6() && NativeMappings.isIpv6(c)) {
                return;
            }
            events.onLocalCandidate(c);
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            if (state == RTCIceGatheringState.COMPLETE) {
                events.onGatheringComplete();
            }
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            if (state == RTCPeerConnectionState.CONNECTED) {
                SocketReceiveBuffers.raiseInBackground(Peer.this::stats); // the ICE sockets exist now
                connected.complete(null);
            } else if (state == RTCPeerConnectionState.FAILED || state == RTCPeerConnectionState.CLOSED) {
                connected.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                        "the peer connection " + stateName(state) + " before it connected"));
            }
            events.onConnectionState(ConnectionState.valueOf(state.name()));
        }

        @Override
        public void onIceConnectionChange(RTCIceConnectionState state) {
            events.onIceState(stateName(state));
        }

        @Override
        public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
            events.onIceServerError(event.getUrl(), event.getErrorCode(), event.getErrorText());
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            sinks.attach(transceiver);
        }

        @Override
        public void onDataChannel(RTCDataChannel dataChannel) {
            if (rawIncoming != null) {
                rawIncoming.accept(dataChannel);
                return;
            }
            DataChannelMessageChannel channel = new DataChannelMessageChannel(dataChannel, config.highWatermark());
            synchronized (Peer.this) {
                channels.add(channel);
            }
            channel.opened().whenComplete((ch, e) -> {
                if (e != null) {
                    incoming.completeExceptionally(e);
                } else {
                    incoming.complete(ch);
                }
            });
        }
    }
}
