package io.rtcat.peer;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A reliable, ordered, message-oriented duplex channel with sender-side backpressure.
 *
 * <p>The send methods block the calling thread (never a callback thread) while the channel's
 * send buffer is above its high watermark, so a fast producer cannot overflow the transport.
 * Messages are at most {@link #maxMessageSize()} bytes. Listener callbacks arrive on one
 * thread, in order; they must not block.
 */
public interface MessageChannel extends AutoCloseable {

    /** Receives what the remote side sent. Byte arrays handed over are owned by the listener. */
    interface Listener {
        void onText(String text);

        void onBinary(byte[] data);

        /** The channel closed (remote close, transport failure or local close). Called at most once. */
        void onClosed(String reason);

        /** A listener for text only: binary messages are dropped and the close is left to the sends to notice. */
        static Listener textOnly(java.util.function.Consumer<String> onText) {
            return new Listener() {
                @Override
                public void onText(String text) {
                    onText.accept(text);
                }

                @Override
                public void onBinary(byte[] data) {
                }

                @Override
                public void onClosed(String reason) {
                }
            };
        }
    }

    void setListener(Listener listener);

    /** Sends a UTF-8 text message, blocking while the send buffer is full. */
    void sendText(String text) throws IOException, InterruptedException;

    /** Sends the remaining bytes of {@code data} as one binary message, blocking while the buffer is full. */
    void sendBinary(ByteBuffer data) throws IOException, InterruptedException;

    /** Blocks until everything queued locally has been handed to the network, or the deadline passes. */
    void drain(long timeoutMillis) throws IOException, InterruptedException;

    /**
     * Lets at most {@code bytes} wait in this channel's send buffer from now on (never more than it already
     * allowed): senders block sooner. For a channel that is one of several carrying one stream, where what one
     * channel holds back holds up the others. The default does nothing (a channel without a send buffer).
     */
    default void limitSendBuffer(long bytes) {
    }

    /** Largest message this channel accepts, in bytes. */
    int maxMessageSize();

    boolean isOpen();

    @Override
    void close();
}
