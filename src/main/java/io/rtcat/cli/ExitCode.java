package io.rtcat.cli;

import io.rtcat.diagnostics.CheckFailure;
import io.rtcat.diagnostics.ProbeFailure;
import io.rtcat.errors.RtcatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * rtcat's exit codes: picocli's 0/1/2 plus sysexits.h, defined once and listed in --help and the README. The
 * failure kinds of the lower layers ({@link RtcatException.Kind}, {@link ProbeFailure.Kind},
 * {@link CheckFailure.Kind}) carry no numbers: the {@code of} methods below are the only mapping.
 */
public final class ExitCode {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NO_INPUT = 66;
    public static final int UNAVAILABLE = 69;
    public static final int INTERNAL = 70;
    public static final int CANT_CREATE = 73;
    public static final int IO = 74;
    public static final int TIMEOUT = 75;
    public static final int PROTOCOL = 76;
    /** rtcat probe --expect: a STUN server gave no server-reflexive address. */
    public static final int PROBE_STUN_UNREACHABLE = 80;
    /** rtcat probe --expect: a TURN server rejected the credentials (401). */
    public static final int PROBE_TURN_AUTH = 81;
    /** rtcat probe --expect: a TURN server gave no relay and no credential error. */
    public static final int PROBE_TURN_UNREACHABLE = 82;
    /** rtcat probe --expect: an expected candidate type was not gathered. */
    public static final int PROBE_MISSING_TYPE = 83;
    /** rtcat probe --expect: gathering did not complete within --timeout. */
    public static final int PROBE_TIMED_OUT = 84;
    /** rtcat check --expect: the selected pair is not the expected direct/relay path. */
    public static final int CHECK_PATH = 85;
    /** rtcat check --min-throughput: the transfer was slower. */
    public static final int CHECK_THROUGHPUT = 86;
    /** rtcat check --max-rtt: the average ping round trip was longer. */
    public static final int CHECK_RTT = 87;
    /** rtcat check --media: the verdict is below --expect GRADE, or the bitrate below --min-bitrate. */
    public static final int CHECK_MEDIA = 88;
    /** The peer cancelled on purpose (Ctrl-C, SIGTERM or a closed output on the other side). */
    public static final int PEER_CANCELLED = 79;
    /** SIGINT (Ctrl-C); {@link #TERMINATED} for SIGTERM: 128 plus the signal number, as a shell reports it. */
    public static final int INTERRUPTED = 130;
    /** Standard output closed early (128 + SIGPIPE, what a shell shows for `cat` killed by a closed pipe). */
    public static final int OUTPUT_CLOSED = 141;
    public static final int TERMINATED = 143;

    /** Code → meaning, for --help (picocli's exit-code list) and the README. */
    static final Map<String, String> DESCRIPTIONS = descriptions();

    private static Map<String, String> descriptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(String.valueOf(OK), "ok");
        m.put(String.valueOf(FAILED), "finished but failed (e.g. checksum mismatch)");
        m.put(String.valueOf(USAGE), "usage error (bad flag or value)");
        m.put(String.valueOf(NO_INPUT), "input file missing or unreadable");
        m.put(String.valueOf(UNAVAILABLE), "signaling, ICE or peer unreachable (for signal also Redis, "
                + "at start), or native library missing");
        m.put(String.valueOf(INTERNAL), "internal error (please report it with the --verbose output)");
        m.put(String.valueOf(CANT_CREATE), "cannot create the output (file exists without --force, no permission)");
        m.put(String.valueOf(IO), "I/O error while reading or writing");
        m.put(String.valueOf(TIMEOUT), "timed out (a retry may help)");
        m.put(String.valueOf(PROTOCOL), "protocol or version mismatch with the peer");
        m.put(String.valueOf(PEER_CANCELLED), "the peer cancelled (Ctrl-C, SIGTERM or a closed output over there)");
        m.put(String.valueOf(PROBE_STUN_UNREACHABLE), "probe --expect: a STUN server is unreachable (no srflx)");
        m.put(String.valueOf(PROBE_TURN_AUTH), "probe --expect: TURN authentication failed (401)");
        m.put(String.valueOf(PROBE_TURN_UNREACHABLE), "probe --expect: a TURN server is unreachable (no relay)");
        m.put(String.valueOf(PROBE_MISSING_TYPE), "probe --expect: an expected candidate type is missing");
        m.put(String.valueOf(PROBE_TIMED_OUT), "probe --expect: gathering did not complete within --timeout");
        m.put(String.valueOf(CHECK_PATH), "check: path is not the expected direct/relay");
        m.put(String.valueOf(CHECK_THROUGHPUT), "check: throughput below --min-throughput");
        m.put(String.valueOf(CHECK_RTT), "check: RTT above --max-rtt");
        m.put(String.valueOf(CHECK_MEDIA), "check --media: verdict below --expect GRADE or bitrate below --min-bitrate");
        m.put(String.valueOf(INTERRUPTED), "interrupted by SIGINT (Ctrl-C)");
        m.put(String.valueOf(OUTPUT_CLOSED), "standard output was closed early (e.g. | head); the peer was told");
        m.put(String.valueOf(TERMINATED), "terminated by SIGTERM (timeout, systemd, a CI runner)");
        return Collections.unmodifiableMap(m);
    }

    /**
     * The codes {@code command} can return, for its own --help (the top-level help lists them all); commands
     * not named here get the common ones.
     */
    static List<Integer> of(String command) {
        List<Integer> common = List.of(OK, FAILED, USAGE, UNAVAILABLE, INTERNAL, TIMEOUT, INTERRUPTED);
        List<Integer> extra = switch (command) {
            case "send" -> List.of(NO_INPUT, IO, PROTOCOL);
            case "receive" -> List.of(CANT_CREATE, IO, PROTOCOL);
            case "signal", "token" -> List.of(NO_INPUT, IO);
            case "probe" -> List.of(PROBE_STUN_UNREACHABLE, PROBE_TURN_AUTH, PROBE_TURN_UNREACHABLE,
                    PROBE_MISSING_TYPE, PROBE_TIMED_OUT);
            case "loopback" -> List.of(NO_INPUT, CANT_CREATE, IO);
            case "check" -> List.of(PROTOCOL, CHECK_PATH, CHECK_THROUGHPUT, CHECK_RTT, CHECK_MEDIA);
            case "doctor" -> List.of(CANT_CREATE, PROBE_STUN_UNREACHABLE, PROBE_TURN_AUTH, PROBE_TURN_UNREACHABLE,
                    PROBE_MISSING_TYPE, PROBE_TIMED_OUT);
            case "respond" -> List.of(PROTOCOL);
            default -> List.of();
        };
        List<Integer> all = new ArrayList<>(common);
        all.addAll(extra);
        all.sort(null);
        return all;
    }

    /** {@link #DESCRIPTIONS} of {@link #of(String)}. */
    static Map<String, String> descriptionsFor(String command) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int code : of(command)) {
            m.put(String.valueOf(code), DESCRIPTIONS.get(String.valueOf(code)));
        }
        return Collections.unmodifiableMap(m);
    }

    private ExitCode() {
    }

    public static int of(RtcatException.Kind kind) {
        return switch (kind) {
            case FAILED -> FAILED;
            case USAGE -> USAGE;
            case NO_INPUT -> NO_INPUT;
            case UNAVAILABLE -> UNAVAILABLE;
            case CANT_CREATE -> CANT_CREATE;
            case IO -> IO;
            case TIMEOUT -> TIMEOUT;
            case PROTOCOL -> PROTOCOL;
            case INTERRUPTED -> INTERRUPTED;
            case PEER_CANCELLED -> PEER_CANCELLED;
            case OUTPUT_CLOSED -> OUTPUT_CLOSED;
        };
    }

    /** rtcat probe --expect (and doctor): the code of one kind of failure. */
    public static int of(ProbeFailure.Kind kind) {
        return switch (kind) {
            case STUN_UNREACHABLE -> PROBE_STUN_UNREACHABLE;
            case TURN_AUTH_FAILED -> PROBE_TURN_AUTH;
            case TURN_UNREACHABLE -> PROBE_TURN_UNREACHABLE;
            case MISSING_TYPE -> PROBE_MISSING_TYPE;
            case TIMED_OUT -> PROBE_TIMED_OUT;
        };
    }

    /** rtcat check thresholds: the code of one kind of failure. */
    public static int of(CheckFailure.Kind kind) {
        return switch (kind) {
            case PATH_MISMATCH -> CHECK_PATH;
            case THROUGHPUT_LOW -> CHECK_THROUGHPUT;
            case RTT_HIGH -> CHECK_RTT;
            case MEDIA_LOW -> CHECK_MEDIA;
        };
    }

    /** OK, or the code of the first probe failure in {@link ProbeFailure.Kind} order. */
    public static int ofProbe(List<ProbeFailure> failures) {
        return ProbeFailure.first(failures).map(f -> of(f.kind())).orElse(OK);
    }

    /** OK, or the code of the first check failure in {@link CheckFailure.Kind} order. */
    public static int ofCheck(List<CheckFailure> failures) {
        return CheckFailure.first(failures).map(f -> of(f.kind())).orElse(OK);
    }
}
