package io.rtcat.session;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.lan.LanFinder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The way to meet a peer on the same LAN by code alone (a receiver its sender, a checker its responder): {@link LanFinder} finds senders announcing the nameplate,
 * and each is tried in turn through its embedded signaling server with the code (as with --from). Several
 * senders may share a nameplate (strangers on one network): a PAKE that fails against one of them does not end
 * the wait, but only {@value #MAX_WRONG_SENDERS} such failures are allowed, so a network full of impostors cannot
 * keep the receiver guessing for long.
 */
public final class LanRendezvous implements Rendezvous {

    static final int MAX_WRONG_SENDERS = 3;
    /** How long to wait for a first announcement of the nameplate before giving the LAN up. */
    static final Duration QUIET_LIMIT = Duration.ofSeconds(6);
    /** How long one sender may take to start the PAKE before the next one is tried (it may be busy). */
    private static final Duration PATIENCE_PER_SENDER = Duration.ofSeconds(15);

    private final PeerEngine engine;
    private final PeerConfig config;
    private final ChannelOptions channel;
    private final String nameplate;
    private final String secret;
    private final Duration timeout;
    private final Role role;
    private final String userPrefix;
    private final Consumer<String> progress;
    private final CompletableFuture<RemotePeer> result = new CompletableFuture<>();
    private volatile String metAt;
    private Thread worker;
    private LanFinder finder;
    private volatile boolean closed;

    /**
     * @param role       this side's role: the receiver answers a sender, a checker offers to a responder
     * @param userPrefix how this side is named in the room (null: by role)
     */
    public LanRendezvous(PeerEngine engine, PeerConfig config, ChannelOptions channel, String nameplate,
            String secret, Duration timeout, Role role, String userPrefix, Consumer<String> progress) {
        this.engine = engine;
        this.config = config;
        this.channel = channel;
        this.nameplate = nameplate;
        this.secret = secret;
        this.timeout = timeout;
        this.role = role;
        this.userPrefix = userPrefix;
        this.progress = progress;
    }

    @Override
    public String name() {
        String at = metAt;
        return at == null ? "the LAN" : "the LAN (" + at + ")";
    }

    @Override
    public synchronized CompletableFuture<RemotePeer> start() {
        if (worker != null || closed) {
            throw new IllegalStateException("start() is called once, before close()");
        }
        try {
            finder = LanFinder.start(nameplate);
        } catch (RtcatException e) {
            result.completeExceptionally(new RtcatException(e.kind(), "cannot look for the peer on the LAN: "
                    + e.getMessage(), e.hint(), e));
            return result;
        }
        worker = Threads.daemon("rtcat-rendezvous-lan", this::search);
        worker.start();
        return result;
    }

    private void search() {
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietDeadline = System.nanoTime() + QUIET_LIMIT.toNanos();
        List<String> tried = new ArrayList<>();
        Set<String> doneWith = new HashSet<>();
        int wrong = 0;
        RtcatException wrongCode = null;
        try {
            while (!closed && wrong < MAX_WRONG_SENDERS) {
                // Until someone announces the nameplate, wait only QUIET_LIMIT: a sender on this LAN answers the
                // first query within a second, so silence means it is elsewhere (or not started).
                long until = tried.isEmpty() ? Math.min(deadline, quietDeadline) : deadline;
                long left = until - System.nanoTime();
                LanFinder.Found f = left > 0 ? finder.next(left) : null;
                if (f == null) {
                    break;
                }
                if (doneWith.contains(f.senderId())) {
                    continue;
                }
                tried.add(f.toString());
                progress.accept("LAN: found a peer at " + f + "; checking the code");
                try {
                    RemotePeer peer = RemotePeer.connect(engine, config, channel, meeting(f, deadline),
                            role, progress, fp -> { });
                    metAt = f.toString();
                    if (!result.complete(peer)) {
                        peer.close();
                    }
                    return;
                } catch (RtcatException e) {
                    if (closed || e.kind() == RtcatException.Kind.INTERRUPTED) {
                        break;
                    }
                    progress.accept("LAN: " + f + ": " + e.getMessage());
                    if (e.kind() == RtcatException.Kind.FAILED) {
                        // the PAKE ran to its end and failed: a stranger's sender with our nameplate (or a wrong code)
                        wrong++;
                        wrongCode = e;
                        doneWith.add(f.senderId());
                    } else if (e instanceof NoPeerCame) {
                        finder.retryLater(f); // busy with someone else; maybe later
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        result.completeExceptionally(failure(tried, wrong, wrongCode));
    }

    private HandshakeOptions meeting(LanFinder.Found f, long deadline) {
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        URI uri = URI.create("ws://" + (f.host().contains(":") ? "[" + f.host() + "]" : f.host()) + ":" + f.port()
                + "/");
        Duration patience = left.compareTo(PATIENCE_PER_SENDER) < 0 ? left : PATIENCE_PER_SENDER;
        return new HandshakeOptions(uri, nameplate, secret, left, true, null, patience, userPrefix);
    }

    private RtcatException failure(List<String> tried, int wrong, RtcatException wrongCode) {
        if (closed) {
            return new RtcatException(RtcatException.Kind.INTERRUPTED, "LAN search stopped");
        }
        if (wrong > 0) {
            return new RtcatException(RtcatException.Kind.FAILED, "the code did not match on " + wrong
                    + " peer" + (wrong == 1 ? "" : "s") + " announcing nameplate " + nameplate + " ("
                    + String.join(", ", tried) + "): " + wrongCode.getMessage(), wrongCode.hint());
        }
        if (tried.isEmpty()) {
            long waited = Math.min(timeout.toSeconds(), QUIET_LIMIT.toSeconds());
            return new RtcatException(RtcatException.Kind.TIMEOUT, "nobody on the LAN announced nameplate " + nameplate
                    + " within " + waited + " s", "is `rtcat send` running? On another network, use the --from "
                    + "line it prints");
        }
        return new RtcatException(RtcatException.Kind.TIMEOUT, "no peer found on the LAN answered ("
                + String.join(", ", tried) + ")");
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (worker != null && !result.isDone()) {
            worker.interrupt();
        }
        if (finder != null) {
            finder.close();
        }
        result.completeExceptionally(new RtcatException(RtcatException.Kind.INTERRUPTED, "LAN search stopped"));
    }
}
