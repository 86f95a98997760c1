package io.rtcat.peer;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link MessageChannel} over an {@link RTCDataChannel}.
 *
 * <p>Sending: callers' threads send directly (webrtc-java's send is thread-safe) under one lock, gated by a
 * {@link SendGate}. Each message goes out in a direct buffer of exactly its size, because webrtc-java
 * sends a direct buffer's whole capacity and a heap buffer's whole backing array.
 *
 * <p>Receiving: the bytes handed to onMessage live in native memory that is reused after the callback, so
 * they are copied at once. Messages that arrive before a listener is set are held and replayed, and a
 * listener set after the channel closed hears it closed.
 */
final class DataChannelMessageChannel implements MessageChannel, RTCDataChannelObserver {

    /** The SDP of libwebrtc says a=max-message-size:262144; one byte more silently closes the channel. */
    static final int MAX_MESSAGE_SIZE = 262_144;

    private final RTCDataChannel channel;
    private final SendGate gate;
    private final Object sendLock = new Object();
    private final Object listenerLock = new Object();
    private final CompletableFuture<MessageChannel> opened = new CompletableFuture<>();
    private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    private Listener listener;
    private boolean closeReported;
    private String closeReason;
    private Listener toldOfClose;
    private volatile boolean closed;
    private ByteBuffer scratch;

    DataChannelMessageChannel(RTCDataChannel channel, long highWatermark) {
        this.channel = channel;
        this.gate = new SendGate(highWatermark, new SendGate.Probe() {
            @Override
            public long bufferedAmount() {
                return channel.getBufferedAmount();
            }

            @Override
            public boolean isOpen() {
                return DataChannelMessageChannel.this.isOpen();
            }
        });
        channel.registerObserver(this);
        // The channel may have opened before the observer was registered (answerer side).
        onStateChange();
    }

    /** Completes when the channel is open; fails if it closes first. */
    CompletableFuture<MessageChannel> opened() {
        return opened;
    }

    /** The id if the channel was negotiated out of band, else null. */
    Integer negotiatedId() {
        return channel.isNegotiated() ? channel.getId() : null;
    }

    /** The options as the native channel reports them. */
    ChannelOptions options() {
        boolean reliable = channel.isReliable();
        Integer retransmits = null;
        Integer lifetime = null;
        if (!reliable) {
            // Unset limits read back as 0, so a lifetime of 0 is indistinguishable from "retransmits only".
            int life = channel.getMaxPacketLifeTime();
            if (life > 0) {
                lifetime = life;
            } else {
                retransmits = channel.getMaxRetransmits();
            }
        }
        return new ChannelOptions(channel.getLabel(), channel.isOrdered(), retransmits, lifetime, negotiatedId());
    }

    @Override
    public void setListener(Listener newListener) {
        synchronized (listenerLock) {
            this.listener = newListener;
            // One at a time: a listener may hand over (set another, or none) from inside a callback, and
            // what is still pending then belongs to the next listener.
            while (this.listener != null && !pending.isEmpty()) {
                pending.poll().run();
            }
            // Closed is a state, not only an event: a listener that takes over after another one heard the
            // close (a stripe negotiation handing over to the transfer) would otherwise wait on a dead channel.
            if (closeReported && this.listener != null && this.listener != toldOfClose) {
                toldOfClose = this.listener;
                this.listener.onClosed(closeReason);
            }
        }
    }

    @Override
    public void limitSendBuffer(long bytes) {
        gate.lowerWatermark(bytes);
    }

    @Override
    public void sendText(String text) throws IOException, InterruptedException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        send(ByteBuffer.wrap(bytes), false);
    }

    @Override
    public void sendBinary(ByteBuffer data) throws IOException, InterruptedException {
        send(data, true);
    }

    private void send(ByteBuffer data, boolean binary) throws IOException, InterruptedException {
        int size = data.remaining();
        if (size > MAX_MESSAGE_SIZE) {
            throw new IOException("message of " + size + " bytes exceeds the data-channel limit of "
                    + MAX_MESSAGE_SIZE);
        }
        synchronized (sendLock) {
            gate.acquire(size);
            ByteBuffer exact = exactBuffer(size);
            exact.put(data.duplicate()).flip();
            try {
                channel.send(new RTCDataChannelBuffer(exact, binary));
            } catch (Exception e) {
                throw new IOException("data channel send failed: " + e.getMessage(), e);
            }
            if (!isOpen()) {
                throw new IOException("data channel closed");
            }
        }
        data.position(data.limit());
    }

    /** A direct buffer whose capacity is exactly {@code size}; reused for runs of equal-sized chunks. */
    private ByteBuffer exactBuffer(int size) {
        if (scratch == null || scratch.capacity() != size) {
            scratch = ByteBuffer.allocateDirect(size);
        }
        scratch.clear();
        return scratch;
    }

    @Override
    public void drain(long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (isOpen() && channel.getBufferedAmount() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("data channel did not drain within " + timeoutMillis + " ms");
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (!isOpen()) {
            throw new IOException("data channel closed");
        }
    }

    @Override
    public int maxMessageSize() {
        return MAX_MESSAGE_SIZE;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.unregisterObserver();
            channel.close();
        } catch (RuntimeException | Error ignored) {
            // The peer connection may already be gone; nothing is left to release then.
        }
        reportClosed("closed locally");
    }

    // ---- RTCDataChannelObserver: all on libwebrtc's signaling thread ----

    @Override
    public void onBufferedAmountChange(long previousAmount) {
        // Never called in webrtc-java 0.14.0; SendGate polls instead.
    }

    @Override
    public void onStateChange() {
        RTCDataChannelState state;
        try {
            state = channel.getState();
        } catch (RuntimeException | Error e) {
            return;
        }
        if (state == RTCDataChannelState.OPEN) {
            opened.complete(this);
        } else if (state == RTCDataChannelState.CLOSED || state == RTCDataChannelState.CLOSING) {
            closed = true;
            opened.completeExceptionally(new IOException("data channel closed before it opened"));
            reportClosed("the data channel was closed");
        }
    }

    @Override
    public void onMessage(RTCDataChannelBuffer buffer) {
        ByteBuffer data = buffer.data;
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        Runnable delivery = buffer.binary
                ? () -> listener.onBinary(copy)
                : () -> listener.onText(new String(copy, StandardCharsets.UTF_8));
        deliver(delivery);
    }

    private void reportClosed(String reason) {
        deliver(() -> {
            if (!closeReported) {
                closeReported = true;
                closeReason = reason;
                toldOfClose = listener;
                listener.onClosed(reason);
            }
        });
    }

    private void deliver(Runnable r) {
        synchronized (listenerLock) {
            if (listener == null) {
                pending.add(r);
            } else {
                r.run();
            }
        }
    }
}
