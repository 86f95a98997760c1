package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The signal path without real signals: the handler is called as the JVM's signal thread would. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InterruptsTest {

    private final List<Integer> halts = new CopyOnWriteArrayList<>();

    @AfterEach
    void reset() {
        Interrupts.resetForTest(null, code -> { });
    }

    @Test
    void theFirstSignalInterruptsTheCommandAndRunsTheListeners() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread command = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        command.start();
        Interrupts.resetForTest(command, halts::add);
        CountDownLatch listened = new CountDownLatch(1);
        Interrupts.onSignal(listened::countDown);
        Interrupts.onSignal(Interrupts.Received.TERM);
        assertTrue(interrupted.await(5, TimeUnit.SECONDS));
        assertTrue(listened.await(5, TimeUnit.SECONDS));
        assertEquals(Interrupts.Received.TERM, Interrupts.received());
        assertEquals(List.of(), halts, "the command unwinds by itself first");
    }

    @Test
    void afterASignalTheCleanupAtExitGetsOnlyWhatIsLeftOfTheGrace() {
        Interrupts.resetForTest(new Thread(() -> { }), halts::add);
        Duration normal = Duration.ofSeconds(10);
        assertEquals(normal, Interrupts.exitCleanupLimit(normal, System.nanoTime()), "no signal: the normal limit");
        long signalled = System.nanoTime();
        Interrupts.onSignal(Interrupts.Received.INT);
        long later = signalled + Duration.ofSeconds(3).toNanos();
        Duration left = Interrupts.exitCleanupLimit(normal, later);
        // the signal was taken at or after `signalled`, so at least GRACE - 3 s is left, and never more than GRACE
        assertTrue(left.compareTo(Interrupts.GRACE.minusSeconds(3)) >= 0 && left.compareTo(Interrupts.GRACE) <= 0,
                left.toString());
        assertEquals(Interrupts.MIN_EXIT_CLEANUP, Interrupts.exitCleanupLimit(normal,
                signalled + Duration.ofSeconds(60).toNanos()), "an unwinding that used the whole grace still gets 1 s");
    }

    @Test
    void aSecondSignalPrintsTheLastWordsAndHaltsWithTheFirstSignalsCode() {
        Interrupts.resetForTest(new Thread(() -> { }), halts::add);
        List<String> said = new CopyOnWriteArrayList<>();
        Interrupts.lastWords(() -> said.add("interrupted"));
        Interrupts.onSignal(Interrupts.Received.INT);
        Interrupts.onSignal(Interrupts.Received.TERM);
        assertEquals(List.of("interrupted"), said);
        assertEquals(List.of(130), halts);
    }

    @Test
    void afterTheCommandReportedASignalNoLongerReportsAndASecondHaltsWithTheCommandsCode() {
        Interrupts.resetForTest(new Thread(() -> { }), halts::add);
        List<String> said = new CopyOnWriteArrayList<>();
        Interrupts.lastWords(() -> said.add("interrupted"));
        Interrupts.commandDone(0);
        Interrupts.onSignal(Interrupts.Received.TERM);
        assertEquals(List.of(), halts);
        Interrupts.onSignal(Interrupts.Received.TERM);
        assertEquals(List.of(0), halts);
        assertEquals(List.of(), said, "the command's own report was its one document");
    }

    @Test
    void exitCodesAreOneHundredTwentyEightPlusTheSignal() {
        assertEquals(ExitCode.INTERRUPTED, Interrupts.Received.INT.exitCode);
        assertEquals(ExitCode.TERMINATED, Interrupts.Received.TERM.exitCode);
    }
}
