package io.rtcat.diagnostics;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.MessageChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The checker's side of the check protocol ({@link CheckMessages}) on an open channel to a responder: hello,
 * pings, upload, download, bye. One listener stays set for the whole check and routes what arrives.
 */
public final class CheckClient {

    private final MessageChannel channel;
    private final long timeoutMillis;
    private final AtomicLong downloaded = new AtomicLong();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile CompletableFuture<CheckMessages.Message> hello = new CompletableFuture<>();
    private volatile CompletableFuture<CheckMessages.Message> sinkResult = new CompletableFuture<>();
    private volatile CompletableFuture<CheckMessages.Message> sourceEnd = new CompletableFuture<>();
    private volatile EchoProbe probe;
    private volatile CompletableFuture<CheckMessages.Message> pingReady = new CompletableFuture<>();
    private final CompletableFuture<Void> mediaAnswered = new CompletableFuture<>();
    private volatile java.util.function.Consumer<CheckMessages.Message> media;
    private MessageChannel pingChannel;
    private long responderMaxSeconds;

    /**
     * @param timeoutMillis how long to wait for any answer, and the longest a transfer may stall
     */
    public CheckClient(MessageChannel channel, long timeoutMillis) {
        this.channel = channel;
        this.timeoutMillis = timeoutMillis;
        channel.setListener(new Router());
    }

    /** Greets the responder; fails clearly when the other side is not one. Returns its time limit per check. */
    public long hello() throws RtcatException {
        send(CheckMessages.hello());
        CheckMessages.Message reply = await(hello, timeoutMillis, "waiting for the responder's greeting",
                "is the other side `rtcat respond`?");
        long version = reply.longField("version", 0);
        if (version != CheckMessages.VERSION) {
            throw new RtcatException(RtcatException.Kind.PROTOCOL, "the responder speaks check protocol version "
                    + version + ", this rtcat speaks " + CheckMessages.VERSION, "use the same rtcat version on both sides");
        }
        responderMaxSeconds = reply.longField("max_seconds", 0);
        return responderMaxSeconds;
    }

    /**
     * Asks the responder for the unreliable ping channel and opens our side; afterwards {@link #ping} uses it.
     */
    public void openPingChannel(ChannelOpener opener) throws RtcatException {
        int id = CheckMessages.PING_CHANNEL_ID;
        send(CheckMessages.pingChannel(id));
        MessageChannel pings = opener.openUnreliable("rtcat-ping", id);
        pings.setListener(MessageChannel.Listener.textOnly(text -> {
            EchoProbe p = probe;
            if (p != null) {
                p.accept(text);
            }
        }));
        pingChannel = pings;
        await(pingReady, timeoutMillis, "waiting for the responder's ping channel", null);
    }

    /** Pings on the ping channel when one is open (lost pings count as lost), else on the reliable channel. */
    public EchoProbe.Result ping(int count, long intervalMillis) throws RtcatException {
        MessageChannel target = pingChannel != null ? pingChannel : channel;
        EchoProbe p = new EchoProbe(count, intervalMillis, timeoutMillis, pingChannel != null);
        probe = p;
        try {
            return p.run(target);
        } finally {
            probe = null;
        }
    }

    /**
     * Uploads {@code bytes} of filler (or for {@code seconds} when bytes is 0); the responder counts and times it.
     */
    public Throughput upload(long bytes, double seconds, LongConsumer progress) throws RtcatException {
        sinkResult = new CompletableFuture<>();
        send(CheckMessages.sink());
        long sent = sendFiller(bytes, seconds, progress);
        send(CheckMessages.sinkEnd());
        CheckMessages.Message result = await(sinkResult, timeoutMillis, "waiting for the responder's count",
                null);
        long counted = result.longField("bytes", -1);
        if (counted != sent) {
            throw new RtcatException(RtcatException.Kind.FAILED, "the responder counted " + counted
                    + " bytes but " + sent + " were sent", "the channel lost data; run again with --verbose");
        }
        return new Throughput("up", counted, result.longField("nanos", 0));
    }

    /** Asks the responder for {@code bytes} of filler (or {@code seconds} of it when bytes is 0) and times it. */
    public Throughput download(long bytes, double seconds, LongConsumer progress) throws RtcatException {
        long start = requestDownload(bytes, seconds);
        return awaitDownload(start, progress);
    }

    /** Both directions at once: the download is requested first, then the upload runs on this thread. */
    public Throughput[] bidirectional(long bytes, double seconds, LongConsumer progress) throws RtcatException {
        long start = requestDownload(bytes, seconds);
        Throughput up = upload(bytes, seconds, sent -> progress.accept(sent + downloaded.get()));
        Throughput down = awaitDownload(start, received -> progress.accept(up.bytes() + received));
        return new Throughput[] {up, down};
    }

    /** Routes the responder's media-* messages to {@code handler} (null: drop them). Called on the listener thread. */
    public void onMedia(java.util.function.Consumer<CheckMessages.Message> handler) {
        this.media = handler;
    }

    /** Sends a control message; a failure shows up as the channel ending (see {@link #failIfEnded}). */
    public void sendQuietly(String text) {
        try {
            channel.sendText(text);
        } catch (IOException e) {
            ended.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "the channel failed: " + e.getMessage(), null, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Throws the reason the check ended (responder error, closed channel), if it has. */
    public void failIfEnded() throws RtcatException {
        if (ended.isDone()) {
            throw asRtcat(cause(ended));
        }
    }

    /** Waits for the responder's media answer; an older responder never sends one. */
    public void awaitMediaAnswer(long millis) throws RtcatException {
        await(mediaAnswered, millis, "waiting for the responder to answer the media offer",
                "the responder may be an older rtcat without media checks; upgrade it");
    }

    /**
     * Tells the responder this check is cancelled (best effort, also on an interrupted thread, whose flag is kept),
     * so it stops at once and waits for the next check instead of noticing a closed channel.
     */
    public void cancel(String reason) {
        boolean interrupted = Thread.interrupted();
        try {
            channel.sendText(CheckMessages.cancel(reason));
            channel.drain(1000);
        } catch (IOException e) {
            // It is over either way.
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Tells the responder the check is over (best effort). */
    public void bye() {
        try {
            channel.sendText(CheckMessages.bye());
            channel.drain(1000);
        } catch (IOException e) {
            // It is over either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.setListener(null);
        if (pingChannel != null) {
            pingChannel.setListener(null);
            pingChannel.close();
        }
    }

    private long requestDownload(long bytes, double seconds) throws RtcatException {
        downloaded.set(0);
        sourceEnd = new CompletableFuture<>();
        long start = System.nanoTime();
        send(CheckMessages.source(bytes, seconds));
        return start;
    }

    private Throughput awaitDownload(long start, LongConsumer progress) throws RtcatException {
        long lastBytes = -1;
        long lastChange = System.nanoTime();
        while (true) {
            try {
                CheckMessages.Message end = sourceEnd.get(100, TimeUnit.MILLISECONDS);
                long nanos = System.nanoTime() - start;
                long expected = end.longField("bytes", -1);
                long got = downloaded.get();
                progress.accept(got);
                if (expected != got) {
                    throw new RtcatException(RtcatException.Kind.FAILED, "the responder sent " + expected
                            + " bytes but " + got + " arrived", "the channel lost data; run again with --verbose");
                }
                return new Throughput("down", got, nanos);
            } catch (TimeoutException e) {
                failIfEnded(); // a cancel, error or close from the responder ends the download now, not at a stall
                long got = downloaded.get();
                progress.accept(got);
                long now = System.nanoTime();
                if (got != lastBytes) {
                    lastBytes = got;
                    lastChange = now;
                } else if (now - lastChange > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
                    throw new RtcatException(RtcatException.Kind.TIMEOUT, "the download stalled: nothing arrived for "
                            + timeoutMillis / 1000 + " s", "the path may have failed; run again with --verbose");
                }
            } catch (ExecutionException e) {
                throw asRtcat(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted while downloading");
            }
        }
    }

    private long sendFiller(long bytes, double seconds, LongConsumer progress) throws RtcatException {
        int chunk = Math.min(Filler.CHUNK, channel.maxMessageSize());
        ByteBuffer data = Filler.buffer();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long sent = 0;
        try {
            while (bytes > 0 ? sent < bytes : System.nanoTime() < deadline) {
                if (ended.isDone()) {
                    throw asRtcat(cause(ended));
                }
                int n = (int) (bytes > 0 ? Math.min(chunk, bytes - sent) : chunk);
                channel.sendBinary(data.duplicate().limit(n));
                sent += n;
                progress.accept(sent);
            }
            return sent;
        } catch (IOException e) {
            throw whyClosed(e, "the channel failed while uploading: ");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted while uploading");
        }
    }

    private void send(String text) throws RtcatException {
        try {
            channel.sendText(text);
        } catch (IOException e) {
            throw whyClosed(e, "the channel failed: ");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted");
        }
    }

    private <T> T await(CompletableFuture<T> future, long millis, String step, String hint) throws RtcatException {
        try {
            return CompletableFuture.anyOf(future, ended).thenApply(o -> future.getNow(null))
                    .get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RtcatException(RtcatException.Kind.TIMEOUT, "no answer within " + millis / 1000 + " s while "
                    + step, hint);
        } catch (ExecutionException e) {
            throw asRtcat(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcatException(RtcatException.Kind.INTERRUPTED, "interrupted while " + step);
        }
    }

    /**
     * A send failed because the channel closed: the responder's reason (e.g. its time limit) may still be on
     * its way through the listener thread, so it gets a moment to arrive.
     */
    private RtcatException whyClosed(IOException e, String prefix) {
        try {
            ended.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException reason) {
            return asRtcat(reason.getCause());
        } catch (TimeoutException | InterruptedException ignored) {
            // No reason came; say what we know.
        }
        return new RtcatException(RtcatException.Kind.UNAVAILABLE, prefix + e.getMessage(), null, e);
    }

    private static Throwable cause(CompletableFuture<?> failed) {
        try {
            failed.getNow(null);
            return new IllegalStateException("not failed");
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause();
        }
    }

    private static RtcatException asRtcat(Throwable t) {
        return t instanceof RtcatException r ? r
                : new RtcatException(RtcatException.Kind.FAILED, String.valueOf(t.getMessage()), null, t);
    }

    /** Routes what the responder sends; never blocks. */
    private final class Router implements MessageChannel.Listener {
        @Override
        public void onText(String text) {
            EchoProbe p = probe;
            if (p != null && p.accept(text)) {
                return;
            }
            Optional<CheckMessages.Message> parsed = CheckMessages.parse(text);
            if (parsed.isEmpty()) {
                return;
            }
            CheckMessages.Message m = parsed.get();
            switch (m.type()) {
                case "check-hello" -> hello.complete(m);
                case "ping-channel-ready" -> pingReady.complete(m);
                case "sink-result" -> sinkResult.complete(m);
                case "source-end" -> sourceEnd.complete(m);
                case "media-answer", "media-candidate", "media-stats" -> {
                    if (m.type().equals("media-answer")) {
                        mediaAnswered.complete(null);
                    }
                    java.util.function.Consumer<CheckMessages.Message> handler = media;
                    if (handler != null) {
                        handler.accept(m);
                    }
                }
                case "cancel" -> ended.completeExceptionally(new RtcatException(
                        RtcatException.Kind.PEER_CANCELLED, "the responder cancelled: " + m.textField("reason")));
                case "check-error" -> ended.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                        "the responder ended the check: " + m.textField("message")));
                default -> {
                    // Unknown types from a newer responder are ignored.
                }
            }
        }

        @Override
        public void onBinary(byte[] data) {
            downloaded.addAndGet(data.length);
        }

        @Override
        public void onClosed(String reason) {
            ended.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                    "the responder closed the channel" + (reason == null || reason.isEmpty() ? "" : ": " + reason)
                            + (responderMaxSeconds > 0 ? " (its limit is " + responderMaxSeconds + " s per check)" : "")));
        }
    }
}
