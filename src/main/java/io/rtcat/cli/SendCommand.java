package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.HandshakeOptions;
import io.rtcat.session.MeetByCode;
import io.rtcat.session.RemotePeer;
import io.rtcat.session.Rendezvous;
import io.rtcat.session.RendezvousRace;
import io.rtcat.session.RendezvousSettings;
import io.rtcat.session.SignalingRendezvous;
import io.rtcat.session.lan.LanAnnouncer;
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
            "                                     rtcat receive 7-crossbow-orbit",
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
            description = "Use this code phrase (NUMBER-WORD-WORD) instead of a fresh one (default: $RTCAT_CODE if "
                    + "set, which keeps it out of ps; else a fresh one).")
    String code;

    @Mixin
    EmbeddedServerOptions server;

    @Option(names = "--streams", paramLabel = "N|auto", defaultValue = "auto",
            description = "Stripe the transfer over N peer connections (1-32), or auto: one per 15 ms of RTT, "
                    + "at most 8, since one connection's SCTP recovers slowly from losses on long paths; from 64 MiB "
                    + "on such a path auto first measures its loss for a second or two, and where it finds loss "
                    + "takes 4 times as many, at most 32 (default: ${DEFAULT-VALUE}). Plain rooms always use one.")
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
        RendezvousSettings settings = meeting.settings();
        URI signal = meeting.signal != null ? meeting.signal : settings.signal();
        // No signaling server: this process runs one, announces it on the LAN and (with a code) on the trackers.
        boolean byCode = signal == null && meeting.room == null;
        PeerConfig config = ice.toConfig(signal != null, settings.ice());
        SendJob job = new SendJob(console, global, paths, meeting.jsonStream, statsOptions);
        job.prepare();
        CodePhrase phrase = meeting.room != null ? null
                : chosenCode() != null ? CodePhrase.parse(chosenCode())
                : CodePhrase.generate(new SecureRandom(), byCode && settings.usesTrackers());
        String meetingRoom = meeting.room != null ? meeting.room : phrase.nameplate();
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        PeerEngine engine = PeerEngine.shared();
        ChannelOptions channel = ChannelOptions.reliable("rtcat");
        SignalingServer embedded = null;
        LanAnnouncer lan = null;
        try {
            URI uri = signal;
            List<Rendezvous> ways = new ArrayList<>();
            if (uri == null) {
                embedded = server.start();
                uri = embedded.uri(); // the bind address (loopback for a wildcard), not always 127.0.0.1
                if (phrase != null) {
                    lan = announceOnLan(phrase, embedded);
                }
            }
            HandshakeOptions where = new HandshakeOptions(uri, meetingRoom,
                    phrase == null ? null : phrase.secret(), timeout, false, meeting.fingerprint);
            ways.add(new SignalingRendezvous(embedded == null ? "the signaling server " + uri
                    : "this machine's signaling server (port " + embedded.port() + (lan != null ? ", announced on the LAN)"
                    : ")"), engine, config, channel, where, Role.OFFERER, this::debug, this::showFingerprint));
            if (byCode) {
                ways.addAll(MeetByCode.trackers(meetByCode(engine, config, channel, settings, timeout), meetingRoom,
                        phrase.secret(), Role.OFFERER));
            }
            announce(phrase, embedded, signal, job, lan != null || ways.size() > 1);
            RendezvousRace.Met met = RendezvousRace.run(ways, timeout.plusSeconds(10), this::debug, true);
            if (ways.size() > 1 || lan != null) {
                reportMet(met.how());
            }
            if (lan != null) {
                lan.close(); // found: stop announcing
                lan = null;
            }
            try (RemotePeer remote = met.peer()) {
                return job.run(remote, timeout, engine, remote.config(), meeting.room != null ? null : streamsOption,
                        this::debug);
            }
        } finally {
            if (lan != null) {
                lan.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** LAN discovery is a convenience: without it (no multicast here) the printed --from forms still work. */
    private LanAnnouncer announceOnLan(CodePhrase phrase, SignalingServer embedded) {
        if (!server.reachableFromOtherMachines()) {
            return null; // nobody on the LAN could connect
        }
        try {
            return LanAnnouncer.start(phrase.nameplate(), embedded.port(), server.hostsToAnnounce());
        } catch (RtcatException e) {
            debug("not announcing on the LAN: " + e.getMessage());
            return null;
        }
    }

    private MeetByCode.Context meetByCode(PeerEngine engine, PeerConfig config, ChannelOptions channel,
            RendezvousSettings settings, Duration timeout) throws RtcatException {
        PeerConfig internet = ice.internetConfig(config, settings);
        debug("rendezvous: LAN, trackers from " + settings.trackersFrom());
        return new MeetByCode.Context(engine, config, internet, channel, settings, timeout, this::debug);
    }

    private void showFingerprint(String fp) {
        note("rtcat: our DTLS fingerprint (for the peer's --fingerprint): " + fp);
    }

    /** --code, else RTCAT_CODE (out of sight of ps, as for receive), else null for a fresh code. */
    private String chosenCode() {
        if (code != null) {
            return code;
        }
        String env = System.getenv("RTCAT_CODE");
        return env == null || env.isBlank() ? null : env.strip();
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
        MeetingOptions.validateTimeout(timeoutSeconds);
    }

    /**
     * The one thing the user must see even with --quiet: what to type on the other machine. The code alone when
     * the receiver can find us by it (LAN announcement, trackers), the --from forms as alternatives.
     */
    private void announce(CodePhrase phrase, SignalingServer embedded, URI signal, SendJob job, boolean codeAlone) {
        Invitation invitation = invitation(phrase, embedded, signal, codeAlone);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Sending %d file%s (%s). On the other machine, run:%n", job.fileCount(),
                job.fileCount() == 1 ? "" : "s", Units.formatSizeOrStream(job.totalBytes())));
        List<String> commands = invitation.commands();
        for (int i = 0; i < commands.size(); i++) {
            if (i == 1 && invitation.codeAlone()) {
                sb.append("or, if it cannot find this machine, name it:\n");
            }
            sb.append("  ").append(commands.get(i)).append('\n');
        }
        URI page = browserPage(embedded, signal);
        if (phrase != null && page != null) {
            sb.append(BrowserLink.announcement(page, phrase.text(), embedded != null));
        }
        if (phrase != null) {
            sb.append("(or set RTCAT_CODE=").append(phrase.text()).append(" and leave the code out)\n");
        }
        console.err.print(sb);
        console.err.flush();
        job.ready(invitation);
    }

    private Invitation invitation(CodePhrase phrase, SignalingServer embedded, URI signal, boolean codeAlone) {
        String what = phrase == null ? "--room " + meeting.room : phrase.text();
        List<String> from = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        boolean alone = codeAlone && phrase != null && embedded != null;
        if (alone) {
            commands.add("rtcat receive " + what);
        }
        if (embedded != null) {
            for (String host : server.hostsToAnnounce()) {
                from.add(hostPort(host, embedded.port()));
                commands.add("rtcat receive " + what + " --from " + host + ":" + embedded.port());
            }
        } else {
            commands.add("rtcat receive " + what + " --signal " + signal);
        }
        URI page = browserPage(embedded, signal);
        String link = phrase == null || page == null ? null
                : BrowserLink.offered(page, phrase.text(), embedded != null);
        return new Invitation(phrase == null ? null : phrase.text(), meeting.room, from,
                embedded == null ? signal.toString() : null, commands, link, alone);
    }

    /** The signaling server whose page a browser would open: ours at its first address, or the --signal one. */
    private URI browserPage(SignalingServer embedded, URI signal) {
        if (embedded == null) {
            return signal;
        }
        List<String> hosts = server.hostsToAnnounce();
        return hosts.isEmpty() ? null : URI.create("ws://" + hostPort(hosts.get(0), embedded.port()) + "/");
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }


    /** Which rendezvous won: a note on stderr, and a {@code met} event with --json-stream. */
    private void reportMet(String how) {
        note("rtcat: met the receiver via " + how);
        if (meeting.jsonStream) {
            console.out.println(BatchProgress.event("met").put("via", how).toString());
            console.out.flush();
        }
    }
}
