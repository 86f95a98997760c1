package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.RemotePeer;
import io.rtcat.session.Role;
import io.rtcat.session.pake.CodePhrase;
import io.rtcat.signaling.SignalingServer;
import io.rtcat.stats.Units;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Send files or folders to another machine, peer to peer.",
            "",
            "With no --signal, rtcat starts a signaling server inside this process and prints the one "
                    + "command the other side must type, with a fresh code phrase. Both sides prove they know "
                    + "the code (J-PAKE) and bind it to their DTLS certificates, so neither the signaling "
                    + "server nor anyone else can read or alter the transfer without being detected.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat send report.pdf            prints the command for the receiver, e.g.",
            "      rtcat receive 7-crossbow-orbit --from 192.0.2.10:40123",
            "  rtcat send photos/ notes.txt     folders are sent recursively",
            "  tar c dir | rtcat send -         standard input",
            "  rtcat send big.iso --signal wss://signal.example.org/",
            "      meet on a shared server (see `rtcat signal`)",
            "  rtcat send f.bin --signal ws://host:8765/ --room demo",
            "      plain room for browser pages (no code phrase)",
        })
final class SendCommand extends BaseCommand {

    @Mixin
    IceOptions ice;

    @Mixin
    StatsOptions statsOptions;

    @Mixin
    MeetingOptions meeting;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or folders to send; - reads standard input.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--code", paramLabel = "CODE",
            description = "Use this code phrase (NUMBER-WORD-WORD) instead of a fresh one.")
    String code;

    @Mixin
    EmbeddedServerOptions server;

    @Option(names = "--streams", paramLabel = "N|auto", defaultValue = "auto",
            description = "Stripe the transfer over N peer connections (1-16), or auto: one per 15 ms of RTT, "
                    + "at most 8, since one connection's SCTP recovers slowly from losses on long paths "
                    + "(default: ${DEFAULT-VALUE}). Plain rooms always use one.")
    String streams;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long to wait for the receiver and for a stalled transfer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    boolean jsonStream() {
        return meeting.jsonStream;
    }

    /**
     * The receiver warns: the sender's incoming packets are acks, and the kernel's counter is per network
     * namespace, so on one host both would report the receiver's drops.
     */
    @Override
    boolean watchesUdpDrops() {
        return false;
    }

    @Override
    int execute() throws RtcatException {
        statsOptions.validate();
        validate();
        StreamsOption streamsOption = StreamsOption.parse(streams);
        if (meeting.room != null && streamsOption.asksForStripes()) {
            throw new RtcatException(RtcatException.Kind.USAGE, "--streams needs a code phrase",
                    "plain rooms (--room) are for peers without rtcat, which know one stream only");
        }
        PeerConfig config = ice.toConfig(meeting.signal != null);
        SendJob job = new SendJob(console, global, paths, meeting.jsonStream, statsOptions);
        job.prepare();
        CodePhrase phrase = meeting.room != null ? null
                : code != null ? CodePhrase.parse(code) : CodePhrase.generate(new SecureRandom());
        String meetingRoom = meeting.room != null ? meeting.room : phrase.nameplate();
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        SignalingServer embedded = null;
        try {
            URI uri = meeting.signal;
            if (uri == null) {
                embedded = server.start();
                uri = URI.create("ws://127.0.0.1:" + embedded.port() + "/");
            }
            announce(phrase, embedded, job);
            PeerEngine engine = PeerEngine.shared();
            RemotePeer.Meeting where = new RemotePeer.Meeting(uri, meetingRoom,
                    phrase == null ? null : phrase.secret(), timeout, false, meeting.fingerprint);
            try (RemotePeer remote = RemotePeer.connect(engine, config, ChannelOptions.reliable("rtcat"), where,
                    Role.OFFERER, this::debug, this::showFingerprint)) {
                return job.run(remote, timeout, engine, remote.config(), meeting.room != null ? null : streamsOption,
                        this::debug);
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private void showFingerprint(String fp) {
        note("rtcat: our DTLS fingerprint (for the peer's --fingerprint): " + fp);
    }

    private void validate() throws RtcatException {
        meeting.validate();
        if (meeting.room != null && code != null) {
            throw new RtcatException(RtcatException.Kind.USAGE, "--room and --code cannot be combined",
                    "--room is for peers without rtcat; --code authenticates an rtcat receiver");
        }
        if (meeting.room != null && meeting.fingerprint == null) {
            note("rtcat: note: plain room: the receiver is not authenticated (pin it with --fingerprint)");
        }
        server.validate();
        MeetingOptions.validateTimeout(timeoutSeconds);
    }

    /** The one thing the user must see even with --quiet: what to type on the other machine. */
    private void announce(CodePhrase phrase, SignalingServer embedded, SendJob job) {
        Invitation invitation = invitation(phrase, embedded);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Sending %d file%s (%s). On the other machine, run:%n", job.fileCount(),
                job.fileCount() == 1 ? "" : "s", Units.formatSizeOrStream(job.totalBytes())));
        for (String command : invitation.commands()) {
            sb.append("  ").append(command).append('\n');
        }
        if (invitation.browserLink() != null) {
            sb.append("or, without rtcat, open in a browser:\n  ").append(invitation.browserLink()).append('\n');
        }
        if (phrase != null) {
            sb.append("(or set RTCAT_CODE=").append(phrase.text()).append(" and leave the code out)\n");
        }
        console.err.print(sb);
        console.err.flush();
        job.ready(invitation);
    }

    private Invitation invitation(CodePhrase phrase, SignalingServer embedded) {
        String what = phrase == null ? "--room " + meeting.room : phrase.text();
        List<String> from = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        String link = null;
        if (embedded != null) {
            for (String host : server.hostsToAnnounce()) {
                from.add(hostPort(host, embedded.port()));
                commands.add("rtcat receive " + what + " --from " + host + ":" + embedded.port());
            }
            if (phrase != null && !from.isEmpty()) {
                link = BrowserLink.of(URI.create("ws://" + from.get(0) + "/"), phrase.text());
            }
        } else {
            commands.add("rtcat receive " + what + " --signal " + meeting.signal);
            if (phrase != null) {
                link = BrowserLink.of(meeting.signal, phrase.text());
            }
        }
        return new Invitation(phrase == null ? null : phrase.text(), meeting.room, from,
                embedded == null ? meeting.signal.toString() : null, commands, link);
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

}
