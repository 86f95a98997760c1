package io.rtcat.diagnostics;

import io.rtcat.diagnostics.CheckMessages.Bye;
import io.rtcat.diagnostics.CheckMessages.Cancel;
import io.rtcat.diagnostics.CheckMessages.CheckError;
import io.rtcat.diagnostics.CheckMessages.CheckHello;
import io.rtcat.diagnostics.CheckMessages.MediaAnswer;
import io.rtcat.diagnostics.CheckMessages.MediaCandidate;
import io.rtcat.diagnostics.CheckMessages.MediaFigures;
import io.rtcat.diagnostics.CheckMessages.Message;
import io.rtcat.diagnostics.CheckMessages.PingChannel;
import io.rtcat.diagnostics.CheckMessages.PingChannelReady;
import io.rtcat.diagnostics.CheckMessages.Sink;
import io.rtcat.diagnostics.CheckMessages.SinkEnd;
import io.rtcat.diagnostics.CheckMessages.SinkResult;
import io.rtcat.diagnostics.CheckMessages.Source;
import io.rtcat.diagnostics.CheckMessages.SourceEnd;
import io.rtcat.errors.Describe;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.MessageChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
    private final CompletableFuture<CheckHello> hello = new CompletableFuture<>();
    private volatile CompletableFuture<SinkResult> sinkResult = new CompletableFuture<>();
    private volatile CompletableFuture<SourceEnd> sourceEnd = new CompletableFuture<>();
    private volatile EchoProbe probe;
    private final CompletableFuture<PingChannelReady> pingReady = new CompletableFuture<>();
    private final CompletableFuture<Void> mediaAnswered = new CompletableFuture<>();
    private volatile Consumer<Message> media;
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
        send(CheckHello.checker());
        CheckHello reply = await(hello, timeoutMillis, "waiting for the responder's greeting",
                "is the other side `rtcat respond`?");
        long version = reply.version();
        if (version != CheckMessages.VERSION) {
            throw new RtcatException(RtcatException.Kind.PROTOCOL, "the responder speaks check protocol version "
                    + version + ", this rtcat speaks " + CheckMessages.VERSION, "use the same rtcat version on both sides");
        }
        responderMaxSeconds = reply.maxSeconds() == null ? 0 : reply.maxSeconds();
        return responderMaxSeconds;
    }

    /**
     * Asks the responder for the unreliable ping channel and opens our side; afterwards {@link #ping} uses it.
     */
    public void openPingChannel(ChannelOpener opener) throws RtcatException {
        int id = CheckMessages.PING_CHANNEL_ID;
        send(new PingChannel(id));
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
        send(new Sink());
        long sent = sendFiller(bytes, seconds, progress);
        send(new SinkEnd());
        SinkResult result = await(sinkResult, timeoutMillis, "waiting for the responder's count",
                null);
        long counted = result.bytes();
        if (counted != sent) {
            throw new RtcatException(RtcatException.Kind.FAILED, "the responder counted " + counted
                    + " bytes but " + sent + " were sent", "the channel lost data; run again with --verbose");
        }
        return new Throughput("up", counted, result.nanos());
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
    public void onMedia(Consumer<Message> handler) {
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
            channel.sendText(CheckMessages.encode(new Cancel(reason)));
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
            channel.sendText(CheckMessages.encode(new Bye()));
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
        send(new Source(bytes, seconds));
        return start;
    }

    private Throughput awaitDownload(long start, LongConsumer progress) throws RtcatException {
        long lastBytes = -1;
        long lastChange = System.nanoTime();
        while (true) {
            try {
                SourceEnd end = sourceEnd.get(100, TimeUnit.MILLISECONDS);
                long nanos = System.nanoTime() - start;
                long expected = end.bytes();
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

    private void send(Message message) throws RtcatException {
        try {
            channel.sendText(CheckMessages.encode(message));
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
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private static RtcatException asRtcat(Throwable t) {
        return t instanceof RtcatException r ? r : new RtcatException(RtcatException.Kind.FAILED, Describe.failure(t), null, t);
    }

    /** Routes what the responder sends; never blocks. */
    private final class Router implements MessageChannel.Listener {
        @Override
        public void onText(String text) {
            EchoProbe p = probe;
            if (p != null && p.accept(text)) {
                return;
            }
            Message m;
            try {
                m = CheckMessages.decode(text);
            } catch (RtcatException e) {
                ended.completeExceptionally(e);
                return;
            }
            if (m instanceof CheckHello h) {
                hello.complete(h);
            } else if (m instanceof PingChannelReady r) {
                pingReady.complete(r);
            } else if (m instanceof SinkResult r) {
                sinkResult.complete(r);
            } else if (m instanceof SourceEnd e) {
                sourceEnd.complete(e);
            } else if (m instanceof MediaAnswer || m instanceof MediaCandidate || m instanceof MediaFigures) {
                if (m instanceof MediaAnswer) {
                    mediaAnswered.complete(null);
                }
                Consumer<Message> handler = media;
                if (handler != null) {
                    handler.accept(m);
                }
            } else if (m instanceof Cancel c) {
                ended.completeExceptionally(new RtcatException(RtcatException.Kind.PEER_CANCELLED,
                        "the responder cancelled: " + c.reason()));
            } else if (m instanceof CheckError e) {
                ended.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                        "the responder ended the check: " + e.message()));
            }
            // Unknown types from a newer responder are ignored.
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
