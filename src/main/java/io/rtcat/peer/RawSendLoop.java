package io.rtcat.peer;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCPeerConnection;
import io.rtcat.errors.RtcatException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark baseline: the naive send loop a webrtc-java user would write, with none of rtcat's
 * framing, hashing, flow control or disk writes. Two peers in this process, wired directly (no signaling
 * server), one reliable ordered channel; the sender sends one reused direct buffer while
 * {@code bufferedAmount + chunk <= watermark}, else parks 1 ms; the receiver only counts bytes.
 */
public final class RawSendLoop {

    /** Result of one run. */
    public record Result(long bytes, long nanos) {
    }

    private RawSendLoop() {
    }

    public static Result run(PeerEngine engine, long bytes, int chunk, long watermark, long timeoutMillis)
            throws RtcatException {
        PeerConfig config = PeerConfig.defaults();
        Peer[] peers = new Peer[2];
        peers[0] = engine.newPeer(config, new PeerEvents() {
            @Override
            public void onLocalCandidate(IceCandidate c) {
                peers[1].addRemoteCandidate(c);
            }
        });
        peers[1] = engine.newPeer(config, new PeerEvents() {
            @Override
            public void onLocalCandidate(IceCandidate c) {
                peers[0].addRemoteCandidate(c);
            }
        });
        try {
            return measure(peers[0], peers[1], bytes, chunk, watermark, timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "benchmark interrupted");
        } catch (Exception e) {
            if (e.getCause() instanceof RtcatException r) {
                throw r;
            }
            throw new RtcatException(RtcatException.Kind.FAILED, "baseline run failed: " + e, null, e);
        } finally {
            peers[0].close();
            peers[1].close();
        }
    }

    private static Result measure(Peer sender, Peer receiver, long bytes, int chunk, long watermark,
            long timeoutMillis) throws Exception {
        RTCPeerConnection pc = sender.raw();
        RTCDataChannel channel = pc.createDataChannel("raw", new RTCDataChannelInit());
        CompletableFuture<Void> open = new CompletableFuture<>();
        CompletableFuture<Long> done = new CompletableFuture<>();
        AtomicLong received = new AtomicLong();
        channel.registerObserver(new StateObserver(channel, open));
        receiver.rawIncoming(dc -> dc.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previous) {
            }

            @Override
            public void onStateChange() {
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
                if (received.addAndGet(buffer.data.remaining()) >= bytes) {
                    done.complete(System.nanoTime());
                }
            }
        }));
        SessionDescription offer = sender.createOffer().get(10, TimeUnit.SECONDS);
        SessionDescription answer = receiver.acceptOffer(offer).get(10, TimeUnit.SECONDS);
        sender.acceptAnswer(answer).get(10, TimeUnit.SECONDS);
        open.get(15, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        ByteBuffer full = ByteBuffer.allocateDirect(chunk);
        long start = System.nanoTime();
        long sent = 0;
        while (sent < bytes) {
            int n = (int) Math.min(chunk, bytes - sent);
            while (channel.getBufferedAmount() + n > watermark) {
                if (System.nanoTime() > deadline || channel.getState() != RTCDataChannelState.OPEN) {
                    throw new RtcatException(RtcatException.Kind.TIMEOUT, "baseline send loop stalled");
                }
                LockSupport.parkNanos(1_000_000);
            }
            ByteBuffer buf = n == chunk ? full : ByteBuffer.allocateDirect(n);
            channel.send(new RTCDataChannelBuffer(buf, true));
            sent += n;
        }
        long end = bytes == 0 ? System.nanoTime()
                : done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        channel.unregisterObserver();
        channel.close();
        return new Result(bytes, end - start);
    }

    private record StateObserver(RTCDataChannel channel, CompletableFuture<Void> open)
            implements RTCDataChannelObserver {
        @Override
        public void onBufferedAmountChange(long previous) {
        }

        @Override
        public void onStateChange() {
            if (channel.getState() == RTCDataChannelState.OPEN) {
                open.complete(null);
            }
        }

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
        }
    }
}
