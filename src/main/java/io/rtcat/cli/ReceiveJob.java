package io.rtcat.cli;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.session.Connection;
import io.rtcat.session.RemotePeer;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.transfer.FileReceiver;
import io.rtcat.transfer.OnExisting;
import io.rtcat.transfer.ReceiveResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The receiving half of `rtcat receive`. */
final class ReceiveJob {

    private final Console console;
    private final GlobalOptions global;
    private final Path out;
    private final OnExisting onExisting;

    ReceiveJob(Console console, GlobalOptions global, Path out, OnExisting onExisting, boolean yes, boolean stdout) {
        this.console = console;
        this.global = global;
        this.out = out;
        this.onExisting = onExisting;
    }

    int run(RemotePeer remote, Duration timeout) throws RtcatException {
        Connection c = remote.connection();
        ReceiveResult r = new FileReceiver(out, onExisting, FileReceiver.DEFAULT_WINDOW, b -> { })
                .withIdleTimeout(timeout).receive(c.channel(), timeout);
        ConnectionStats stats = Futures.poll(c.peer().stats(), TimeUnit.SECONDS.toNanos(5));
        SessionReport.print(console, global.json, "received", List.of(new SessionReport.FileLine(
                r.path().getFileName().toString(), r.bytes(), r.sha256(), r.verified())), r.bytes(),
                c.connectMillis(), r.duration().toNanos(), stats);
        return ExitCode.OK;
    }
}
