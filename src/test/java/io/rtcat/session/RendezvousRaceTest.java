package io.rtcat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.PeerConfig;
import io.rtcat.testing.InMemoryChannelPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RendezvousRaceTest {

    private final InMemoryChannelPair channels = new InMemoryChannelPair();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        channels.close();
    }

    /** A way whose outcome the test decides, completing when told to. */
    static final class FakeWay implements Rendezvous {
        final String name;
        final CompletableFuture<RemotePeer> result = new CompletableFuture<>();
        final AtomicBoolean closed = new AtomicBoolean();

        FakeWay(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public CompletableFuture<RemotePeer> start() {
            return result;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** A peer whose closing the test can see (its meeting place is closed with it). */
    private RemotePeer peer(AtomicBoolean closedFlag) {
        return RemotePeer.of(new Connection(null, channels.a(), "peer", null), PeerConfig.defaults(),
                () -> closedFlag.set(true));
    }

    @Test
    void theFirstAuthenticatedPeerWinsAndEveryWayIsClosed() throws Exception {
        FakeWay lan = new FakeWay("the LAN");
        FakeWay tracker = new FakeWay("tracker ws://t/");
        AtomicBoolean winnerClosed = new AtomicBoolean();
        RemotePeer winner = peer(winnerClosed);
        tracker.result.complete(winner);
        RendezvousRace.Met met = RendezvousRace.run(List.of(lan, tracker), Duration.ofSeconds(5), progress::add);
        assertSame(winner, met.peer());
        assertEquals("tracker ws://t/", met.how());
        assertTrue(lan.closed.get(), "the losing way is closed");
        assertTrue(tracker.closed.get(), "the winning way is closed too (its peer is not)");
        assertFalse(winnerClosed.get(), "the winner's peer stays open");
    }

    @Test
    void aPeerThatArrivesAfterTheRaceIsDecidedIsClosed() throws Exception {
        FakeWay first = new FakeWay("first");
        FakeWay late = new FakeWay("late");
        first.result.complete(peer(new AtomicBoolean()));
        RendezvousRace.run(List.of(first, late), Duration.ofSeconds(5), progress::add);
        AtomicBoolean lateClosed = new AtomicBoolean();
        late.result.complete(peer(lateClosed));
        assertTrue(lateClosed.get(), "a second authenticated peer must not stay connected");
    }

    @Test
    void aFailureDoesNotEndTheRaceWhileAnotherWayMayStillSucceed() throws Exception {
        FakeWay broken = new FakeWay("tracker ws://down/");
        FakeWay lan = new FakeWay("the LAN");
        broken.result.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE, "refused"));
        RemotePeer winner = peer(new AtomicBoolean());
        CompletableFuture.runAsync(() -> lan.result.complete(winner),
                CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        assertSame(winner, RendezvousRace.run(List.of(broken, lan), Duration.ofSeconds(10), progress::add).peer());
        assertTrue(progress.contains("tracker ws://down/: refused"), progress.toString());
    }

    @Test
    void whenAllFailOneLineNamesEachWayAndWhy() {
        FakeWay lan = new FakeWay("the LAN");
        FakeWay tracker = new FakeWay("tracker wss://t.example/");
        lan.result.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                "no network interface with multicast is up"));
        tracker.result.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE,
                "cannot resolve t.example"));
        RtcatException e = assertThrows(RtcatException.class,
                () -> RendezvousRace.run(List.of(lan, tracker), Duration.ofSeconds(5), progress::add));
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("could not meet the peer: "), e.getMessage());
        assertTrue(e.getMessage().contains("the LAN: no network interface with multicast is up"), e.getMessage());
        assertTrue(e.getMessage().contains("tracker wss://t.example/: cannot resolve t.example"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aWrongCodeIsReportedAsSuchEvenIfAnotherWayOnlyTimedOut() {
        FakeWay lan = new FakeWay("the LAN");
        FakeWay tracker = new FakeWay("tracker");
        lan.result.completeExceptionally(new RtcatException(RtcatException.Kind.FAILED, "the code does not match"));
        tracker.result.completeExceptionally(new RtcatException(RtcatException.Kind.TIMEOUT, "nobody came"));
        RtcatException e = assertThrows(RtcatException.class,
                () -> RendezvousRace.run(List.of(lan, tracker), Duration.ofSeconds(5), progress::add));
        assertEquals(RtcatException.Kind.FAILED, e.kind());
    }

    @Test
    void forTheWaitingSideOneWrongCodeOnAnyWayEndsTheRace() {
        FakeWay lan = new FakeWay("this machine's signaling server");
        FakeWay tracker = new FakeWay("tracker");
        RtcatException wrong = new RtcatException(RtcatException.Kind.FAILED, "code phrase mismatch");
        lan.result.completeExceptionally(wrong);
        RtcatException e = assertThrows(RtcatException.class,
                () -> RendezvousRace.run(List.of(lan, tracker), Duration.ofSeconds(5), progress::add, true));
        assertSame(wrong, e, "one completed guess per run, not one per way");
        assertTrue(tracker.closed.get());
    }

    @Test
    void aSingleWayFailsWithItsOwnErrorUnchanged() {
        FakeWay only = new FakeWay("the signaling server ws://x/");
        RtcatException own = new RtcatException(RtcatException.Kind.UNAVAILABLE, "cannot reach ws://x/", "start it");
        only.result.completeExceptionally(own);
        RtcatException e = assertThrows(RtcatException.class,
                () -> RendezvousRace.run(List.of(only), Duration.ofSeconds(5), progress::add));
        assertSame(own, e);
    }

    @Test
    void theRaceIsBoundedByItsTimeoutAndNamesWhatItTried() {
        FakeWay silent = new FakeWay("the LAN");
        FakeWay failed = new FakeWay("tracker");
        failed.result.completeExceptionally(new RtcatException(RtcatException.Kind.UNAVAILABLE, "refused"));
        RtcatException e = assertThrows(RtcatException.class,
                () -> RendezvousRace.run(List.of(silent, failed), Duration.ofMillis(200), progress::add));
        assertEquals(RtcatException.Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().contains("tried the LAN, tracker"), e.getMessage());
        assertTrue(e.getMessage().contains("tracker: refused"), e.getMessage());
        assertTrue(silent.closed.get());
    }

    @Test
    void noWayAtAllIsAUsageError() {
        RtcatException e = assertThrows(RtcatException.class,
                () -> RendezvousRace.run(List.of(), Duration.ofSeconds(1), progress::add));
        assertEquals(RtcatException.Kind.USAGE, e.kind());
    }
}
