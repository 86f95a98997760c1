package io.rtcat.diagnostics;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.AudioSpec;
import io.rtcat.peer.IceCandidate;
import io.rtcat.peer.Peer;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.peer.PeerEvents;
import io.rtcat.peer.SessionDescription;
import io.rtcat.peer.VideoSpec;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The media connection of a media check: a second peer connection carrying only RTP, negotiated in-band over the
 * check's already connected (and, with a code, authenticated) data channel, the way stripes are. Keeping media off
 * the check connection leaves that connection's data measurements alone and needs no renegotiation; both go over
 * the same kind of path because both use the same ICE settings.
 */
public final class MediaLink implements AutoCloseable {

    private final Peer peer;
    private volatile String answerSdp;

    private MediaLink(Peer peer) {
        this.peer = peer;
    }

    /**
     * The checker's side, step one: a peer connection whose candidates go out through {@code out}. Route the
     * responder's messages to {@link #accept} from now on, then call {@link #offer}.
     */
    public static MediaLink create(PeerEngine engine, PeerConfig config, Consumer<String> out) throws RtcatException {
        return new MediaLink(engine.newPeer(config, candidatesTo(out)));
    }

    /** Step two: adds the synthetic tracks and sends the offer; the answer comes in through {@link #accept}. */
    public void offer(VideoSpec video, AudioSpec audio, Consumer<String> out, Duration timeout)
            throws RtcatException {
        peer.sendMedia(video, audio);
        SessionDescription offer = Futures.await(peer.createOffer(), timeout.toNanos(),
                () -> "creating the media offer");
        out.accept(CheckMessages.encode(new CheckMessages.MediaOffer(offer.sdp())));
    }

    /** The responder's side: applies the checker's offer, sends the answer through {@code out}. */
    public static MediaLink answer(PeerEngine engine, PeerConfig config, String offerSdp, Consumer<String> out,
            Duration timeout) throws RtcatException {
        Peer peer = engine.newPeer(config, candidatesTo(out));
        try {
            SessionDescription answer = Futures.await(peer.acceptOffer(new SessionDescription("offer", offerSdp)),
                    timeout.toNanos(), () -> "answering the media offer");
            out.accept(CheckMessages.encode(new CheckMessages.MediaAnswer(answer.sdp())));
            return new MediaLink(peer);
        } catch (RtcatException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    /** Applies a media-answer or media-candidate from the other side; other messages are ignored. Never blocks. */
    public void accept(CheckMessages.Message m) {
        if (m instanceof CheckMessages.MediaAnswer a) {
            answerSdp = a.sdp();
            peer.acceptAnswer(new SessionDescription("answer", answerSdp));
        } else if (m instanceof CheckMessages.MediaCandidate c && !c.candidate().isEmpty()) {
            peer.addRemoteCandidate(new IceCandidate(c.candidate(), c.mid(), c.index()));
        }
    }

    /** Waits until the media connection is up. */
    public void awaitConnected(Duration timeout) throws RtcatException {
        Futures.await(peer.connected(), timeout.toNanos(), () -> "connecting the media path");
    }

    /** Whether the answer accepted the offered simulcast ({@code a=simulcast} in its video section). */
    public boolean answerAcceptsSimulcast() {
        String sdp = answerSdp;
        return sdp != null && sdp.contains("a=simulcast:");
    }

    public Peer peer() {
        return peer;
    }

    private static PeerEvents candidatesTo(Consumer<String> out) {
        return new PeerEvents() {
            @Override
            public void onLocalCandidate(IceCandidate c) {
                out.accept(CheckMessages.encode(
                        new CheckMessages.MediaCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex())));
            }
        };
    }

    @Override
    public void close() {
        peer.close();
    }
}
