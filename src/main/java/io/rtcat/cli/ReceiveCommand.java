package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import io.rtcat.peer.PeerConfig;
import io.rtcat.peer.PeerEngine;
import io.rtcat.session.HandshakeOptions;
import io.rtcat.session.MeetByCode;
import io.rtcat.session.RemotePeer;
import io.rtcat.session.RendezvousRace;
import io.rtcat.session.RendezvousSettings;
import io.rtcat.session.Role;
import io.rtcat.session.SignalingRendezvous;
import io.rtcat.session.pake.CodePhrase;
import io.rtcat.transfer.OnExisting;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "receive", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Receive what `rtcat send` offers, using the code phrase it printed.",
            "",
            "The code may be given as an argument, in the RTCAT_CODE environment variable (so that it does "
                    + "not show in `ps`), or typed at the prompt. Files are written to a temporary name, "
                    + "verified with SHA-256, synced and only then renamed into place; an existing file is never "
                    + "overwritten unless --force.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat receive 7-crossbow-orbit --from 192.0.2.10:40123",
            "  export RTCAT_CODE=7-crossbow-orbit      keeps the code out of `ps`:",
            "  rtcat receive --from 192.0.2.10:40123 --out ~/Downloads",
            "  rtcat receive --signal wss://signal.example.org/ --room demo --out inbox/",
            "  rtcat receive 7-crossbow-orbit --from host:40123 --stdout | tar x",
        })
final class ReceiveCommand extends BaseCommand {

    @Mixin
    IceOptions ice;

    @Mixin
    StatsOptions statsOptions;

    @Mixin
    MeetingOptions meeting;

    @Parameters(paramLabel = "CODE", arity = "0..1",
            description = "The code phrase printed by `rtcat send` (or RTCAT_CODE, or asked for).")
    String code;

    @Option(names = "--from", paramLabel = "HOST:PORT",
            description = "The sender's embedded signaling server, as printed by `rtcat send`.")
    String from;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = ".",
            description = "Directory to save into (default: the current directory).")
    Path out;

    @Option(names = "--force", description = "Overwrite existing files.")
    boolean force;

    @Option(names = "--rename", description = "Keep existing files; save new ones as 'name (1).ext'.")
    boolean rename;

    @Option(names = {"-y", "--yes"}, description = "Accept the offered files without asking.")
    boolean yes;

    @Option(names = "--stdout", description = "Write the (single) received file to standard output.")
    boolean stdout;

    @Option(names = "--max-size", paramLabel = "SIZE",
            description = "Largest file accepted (e.g. 500M, 4G): bigger announced sizes are refused before the "
                    + "prompt, and a file of unknown size (the sender's pipe) fails once it passes it. Default: "
                    + "announced sizes unlimited (the prompt shows them), unknown sizes at most "
                    + ReceiveJob.DEFAULT_MAX_UNKNOWN_SIZE_TEXT + " (unlimited with --stdout).")
    String maxSize;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Give up connecting, or on a stalled transfer, after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    boolean jsonStream() {
        return meeting.jsonStream;
    }

    @Override
    boolean watchesUdpDrops() {
        return true;
    }

    @Override
    int execute() throws RtcatException {
        statsOptions.validate();
        meeting.validate();
        RendezvousSettings settings = meeting.settings();
        // A code alone (no --from, no --signal): race the LAN, the trackers and any configured signaling server.
        boolean byCode = from == null && meeting.signal == null && meeting.room == null;
        URI uri = byCode ? null : signalingUri(settings);
        if (force && rename) {
            throw new RtcatException(RtcatException.Kind.USAGE, "--force and --rename cannot be combined");
        }
        MeetingOptions.validateTimeout(timeoutSeconds);
        if (stdout && (global.json || meeting.jsonStream)) {
            throw new RtcatException(RtcatException.Kind.USAGE, "--stdout carries the file: it cannot be combined "
                    + "with --json or --json-stream");
        }
        if (!yes && !TerminalPrompt.available()) {
            throw new RtcatException(RtcatException.Kind.USAGE, "no terminal to confirm the transfer on",
                    "pass --yes to accept what the sender offers");
        }
        maxBytes = maxSize == null ? -1 : Sizes.parse("--max-size", maxSize);
        if (maxSize != null && maxBytes < 1) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --max-size " + maxSize + ": must be at least 1 byte");
        }
        if (!stdout && !Files.isDirectory(out)) {
            throw new RtcatException(RtcatException.Kind.CANT_CREATE, "cannot save into " + out
                    + ": not a directory", "create it first: mkdir -p " + out);
        }
        boolean externalSignal = byCode ? settings.signal() != null : from == null;
        PeerConfig config = ice.toConfig(externalSignal, settings.ice());
        String secret = null;
        String meetingRoom = meeting.room;
        if (meeting.room == null) {
            CodePhrase phrase = CodePhrase.parse(codeText());
            secret = phrase.secret();
            meetingRoom = phrase.nameplate();
        } else {
            if (meeting.fingerprint == null) {
                note("rtcat: note: plain room: the sender is not authenticated (pin it with --fingerprint)");
            }
        }
        PeerEngine engine = PeerEngine.shared();
        if (byCode) {
            RendezvousRace.Met met = RendezvousRace.run(MeetByCode.forReceiver(meetByCode(engine, config, settings),
                    meetingRoom, secret), raceBound(), this::debug);
            reportMet(met.how());
            try (RemotePeer remote = met.peer()) {
                return receive(remote, engine);
            }
        }
        HandshakeOptions where = new HandshakeOptions(uri, meetingRoom, secret,
                Duration.ofSeconds(timeoutSeconds), from != null, meeting.fingerprint);
        // Through the race (of one) for its outer bound, as with a code alone and on the sending side: a
        // handshake stuck past its own deadline then ends this command instead of keeping it forever.
        SignalingRendezvous way = new SignalingRendezvous("the signaling server " + uri, engine, config,
                ChannelOptions.reliable("rtcat"), where, Role.ANSWERER, this::debug, this::showFingerprint);
        try (RemotePeer remote = RendezvousRace.run(List.of(way), raceBound(), this::debug).peer()) {
            return receive(remote, engine);
        }
    }

    /** --max-size in bytes, or -1 for the default cap. */
    private long maxBytes = -1;

    private int receive(RemotePeer remote, PeerEngine engine) throws RtcatException {
        return new ReceiveJob(console, global, out, onExisting(), yes, stdout, meeting.jsonStream, statsOptions)
                .limitSizes(maxBytes).run(remote, Duration.ofSeconds(timeoutSeconds), engine, remote.config(),
                        meeting.room == null, this::debug);
    }

    private URI signalingUri(RendezvousSettings settings) throws RtcatException {
        URI signal = meeting.signal != null || from != null ? meeting.signal : settings.signal();
        return SignalAddress.resolve(from, signal, "the sender", "rtcat send");
    }

    private MeetByCode.Context meetByCode(PeerEngine engine, PeerConfig config, RendezvousSettings settings)
            throws RtcatException {
        PeerConfig internet = ice.internetConfig(config, settings);
        debug("rendezvous: LAN, trackers from " + settings.trackersFrom() + (settings.signal() == null ? ""
                : ", signaling server from " + settings.signalFrom()));
        return new MeetByCode.Context(engine, config, internet, ChannelOptions.reliable("rtcat"), settings,
                Duration.ofSeconds(timeoutSeconds), this::debug);
    }

    /** Each way gives up by itself within the timeout; this only bounds the race if one does not. */
    private Duration raceBound() {
        return Duration.ofSeconds(timeoutSeconds).plusSeconds(10);
    }

    private String codeText() throws RtcatException {
        if (code != null) {
            return code;
        }
        String env = System.getenv("RTCAT_CODE");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String typed = TerminalPrompt.available() ? TerminalPrompt.ask("", "Code phrase: ") : null;
        if (typed == null || typed.isBlank()) {
            throw new RtcatException(RtcatException.Kind.USAGE, "no code phrase given",
                    "pass it as an argument or in RTCAT_CODE");
        }
        return typed.trim();
    }

    private void showFingerprint(String fp) {
        note("rtcat: our DTLS fingerprint (for the peer's --fingerprint): " + fp);
    }

    private OnExisting onExisting() {
        return force ? OnExisting.OVERWRITE : rename ? OnExisting.RENAME : OnExisting.FAIL;
    }

    /** Which rendezvous won: a note on stderr, and a {@code met} event with --json-stream. */
    private void reportMet(String how) {
        note("rtcat: met the sender via " + how);
        if (meeting.jsonStream) {
            console.out.println(BatchProgress.event("met").put("via", how).toString());
            console.out.flush();
        }
    }
}
