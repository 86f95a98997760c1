package io.rtcat.cli;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.MessageChannel;
import io.rtcat.session.Connection;
import io.rtcat.session.RemotePeer;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.transfer.FileSender;
import io.rtcat.transfer.SendResult;
import io.rtcat.transfer.TransferSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The sending half of `rtcat send`: what to send, and the report once it arrived. */
final class SendJob {

    private final Console console;
    private final GlobalOptions global;
    private final List<String> paths;
    private TransferSource source;

    SendJob(Console console, GlobalOptions global, List<String> paths) {
        this.console = console;
        this.global = global;
        this.paths = paths;
    }

    /** Checks the inputs before anything is announced, so a typo fails at once. */
    void prepare() throws RtcatException {
        if (paths.size() != 1) {
            throw new RtcatException(RtcatException.Kind.USAGE, "send takes one file for now");
        }
        source = TransferSource.ofFile(Path.of(paths.get(0)));
    }

    int run(RemotePeer remote, Duration timeout) throws RtcatException {
        Connection c = remote.connection();
        MessageChannel channel = c.channel();
        try (ProgressDisplay progress = ProgressDisplay.start(console, !global.quiet && !global.json, "send",
                source.size())) {
            SendResult sent = new FileSender(65536, FileSender.DEFAULT_HELLO_TIMEOUT, timeout, progress.updater())
                    .send(channel, source);
            ConnectionStats stats = Futures.poll(c.peer().stats(), TimeUnit.SECONDS.toNanos(5));
            SessionReport.print(console, global.json, "sent", List.of(new SessionReport.FileLine(sent.name(),
                    sent.bytes(), sent.sha256(), sent.confirmed())), sent.bytes(), c.connectMillis(),
                    sent.durationNanos(), stats);
            return sent.confirmed() ? ExitCode.OK : ExitCode.OK;
        }
    }
}
