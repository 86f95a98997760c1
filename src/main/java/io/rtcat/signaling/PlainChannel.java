package io.rtcat.signaling;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WrappedByteChannel;
import org.java_websocket.drafts.Draft;
import org.java_websocket.framing.Framedata;

/**
 * The channel of one plain (not TLS) server connection. Java-WebSocket reads and writes a connection only through
 * its channel, so this is where rtcat changes two things about how its server loop works.
 *
 * <p><b>Relayed messages are written by the thread that relays them.</b> The library queues every frame and wakes its
 * selector thread to write it: per relayed message a wake-up, two changes of the key's interest set, a pass of the
 * loop and a thread hand-off, which made up much of the server's CPU per message and of its latency tail (README,
 * "where the tail comes from"). {@link #send} writes the frame to the socket at once when nothing is queued or
 * half-written before it; the selector is asked to write only what the socket did not take. Frames must leave
 * whole and in order, so every write to the socket, the library's and ours, holds {@link #writeLock}: a sender
 * writes only when the library's queue is empty (a frame leaves that queue only once fully written, so none is
 * half-written then), and the part of a frame the socket did not take waits in {@link #rest}, which goes out before
 * anything the library queued meanwhile.
 *
 * <p><b>Stale selected keys are swept</b> ({@link StaleKeySweep}): after a read, the channel may ask for one more
 * read, whose {@link #readMore} runs the sweep on the selector's thread, outside the loop's pass over its keys.
 */
final class PlainChannel implements WrappedByteChannel {

    private final SocketChannel socket;
    private final SelectionKey key;
    private final StaleKeySweep staleKeys;
    private final Object writeLock = new Object();
    /** The part of a directly written frame that the socket did not take (guarded by writeLock). */
    private ByteBuffer rest;
    /** This channel's readMore has just swept: its next isNeedRead must say no, or the loop reads it again. */
    private boolean justSwept;

    PlainChannel(SocketChannel socket, SelectionKey key, StaleKeySweep staleKeys) {
        this.socket = socket;
        this.key = key;
        this.staleKeys = staleKeys;
    }

    /**
     * Sends {@code text} to {@code conn} (whose channel this is) as a text frame, from the calling thread when
     * possible. Throws as {@link WebSocketImpl#send(String)} does when the connection is not open.
     */
    static void send(WebSocketImpl conn, String text) {
        if (!(conn.getChannel() instanceof PlainChannel channel) || !conn.isOpen()) {
            conn.send(text); // TLS: the library's way; not open: the library's exception
            return;
        }
        Draft draft = conn.getDraft();
        for (Framedata f : draft.createFrames(text, false)) {
            if (!channel.writeOrQueue(draft.createBinaryFrame(f), conn.outQueue)) {
                conn.getWebSocketListener().onWriteDemand(conn);
            }
        }
    }

    /**
     * Writes {@code frame} to the socket now if nothing waits before it, else queues it behind what does.
     *
     * @return true if the socket took the whole frame; false if the selector must be asked to write
     */
    boolean writeOrQueue(ByteBuffer frame, Queue<ByteBuffer> outQueue) {
        synchronized (writeLock) {
            if (rest != null || !outQueue.isEmpty()) {
                outQueue.add(frame);
                return false;
            }
            try {
                socket.write(frame);
            } catch (IOException e) {
                outQueue.add(frame); // the selector's write meets the error too, and closes as it always does
                return false;
            }
            if (!frame.hasRemaining()) {
                return true;
            }
            rest = frame;
            return false;
        }
    }

    /** Bytes of a directly written frame still waiting for the socket. */
    long restBytes() {
        synchronized (writeLock) {
            return rest == null ? 0 : rest.remaining();
        }
    }

    /** The library's writes (its queue, on the selector's thread): after the rest of a direct write, never inside. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        synchronized (writeLock) {
            return writeRest() ? socket.write(src) : 0;
        }
    }

    /** Writes what is left of a direct write; true once nothing is. Holds writeLock. */
    private boolean writeRest() throws IOException {
        if (rest != null) {
            socket.write(rest);
            if (rest.hasRemaining()) {
                return false;
            }
            rest = null;
        }
        return true;
    }

    /** With the library's queue empty, the loop asks this and then calls {@link #writeMore}. */
    @Override
    public boolean isNeedWrite() {
        synchronized (writeLock) {
            return rest != null;
        }
    }

    @Override
    public void writeMore() throws IOException {
        synchronized (writeLock) {
            writeRest();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return socket.read(dst);
    }

    /** Asked after each read that delivered bytes, and again after each {@link #readMore}. */
    @Override
    public boolean isNeedRead() {
        if (justSwept) {
            justSwept = false;
            return false;
        }
        return staleKeys.wanted(key);
    }

    /** Reads nothing: sweeps, now that the loop's pass over the set is over. */
    @Override
    public int readMore(ByteBuffer dst) {
        justSwept = true;
        staleKeys.run(key.selector());
        return 0;
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public boolean isBlocking() {
        return socket.isBlocking();
    }
}
