package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.signaling.TurnCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** `rtcat signal`'s TURN REST settings: the secret shared with coturn, the URLs handed out, their lifetime. */
public final class TurnSecretOptions {

    static final Duration MIN_TTL = Duration.ofMinutes(1);
    static final Duration MAX_TTL = Duration.ofDays(7);
    /** coturn reads static-auth-secret as one token of its config; a longer file is surely not a secret. */
    static final int MAX_SECRET_BYTES = 4096;

    @Option(names = "--turn-secret-file", paramLabel = "FILE",
            description = "Hand each peer short-lived TURN credentials on join, signed with this file's secret: "
                    + "the value of coturn's static-auth-secret (with use-auth-secret); needs --turn-url.")
    Path secretFile;

    @Option(names = "--turn-url", paramLabel = "URL",
            description = "TURN server handed out with the credentials, turn:HOST[:PORT][?transport=udp|tcp] or "
                    + "turns:...; repeatable.")
    List<String> urls = new ArrayList<>();

    @Option(names = "--turn-for-anyone",
            description = "Hand TURN credentials to every client, also without --token or --secret-file (anyone "
                    + "who finds the server can then relay through your TURN server).")
    boolean forAnyone;

    @Option(names = "--turn-ttl", paramLabel = "DURATION", defaultValue = "1h", converter = Ttl.class,
            description = "How long handed-out TURN credentials stay valid: 1m-7d (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    /**
     * The credentials to hand out, or null when --turn-secret-file is not given.
     *
     * @param clientsAuthenticated --token or --secret-file is set: only the server's own clients get credentials
     */
    TurnCredentials parse(boolean clientsAuthenticated) throws RtcatException {
        if (secretFile != null && !clientsAuthenticated && !forAnyone) {
            throw new RtcatException(RtcatException.Kind.USAGE, "--turn-secret-file would hand TURN credentials to "
                    + "anyone who connects", "add --secret-file (signed join tokens) or --token so that only your "
                    + "clients get them, or --turn-for-anyone if that is what you want");
        }
        if (forAnyone && secretFile == null) {
            throw UsageErrors.error("--turn-for-anyone needs --turn-secret-file");
        }
        if (secretFile == null) {
            if (!urls.isEmpty()) {
                throw UsageErrors.error("--turn-url needs --turn-secret-file: the server signs the credentials it "
                        + "hands out");
            }
            return null;
        }
        if (urls.isEmpty()) {
            throw UsageErrors.error("--turn-secret-file needs at least one --turn-url, e.g. "
                    + "turn:turn.example.org:3478");
        }
        List<String> canonical = new ArrayList<>();
        for (String url : urls) {
            canonical.add(checkUrl(url));
        }
        return new TurnCredentials(readSecret(secretFile), canonical, ttl);
    }

    private static String checkUrl(String url) throws RtcatException {
        if (url.indexOf('@') >= 0) {
            throw UsageErrors.error("invalid --turn-url " + url.replaceAll(":[^:@/]*@", ":***@")
                    + ": no credentials in the url, the server makes them");
        }
        IceServerUrl parsed = IceServerUrl.parse(url, "user", "pass");
        if (!parsed.isTurn()) {
            throw UsageErrors.error("invalid --turn-url " + url + ": must be turn: or turns:, e.g. turn:turn.example.org:3478");
        }
        return parsed.url();
    }

    /** The secret as text, as coturn reads it from its config: surrounding whitespace and the newline dropped. */
    private static byte[] readSecret(Path file) throws RtcatException {
        byte[] raw;
        try {
            if (Files.size(file) > MAX_SECRET_BYTES) {
                throw UsageErrors.error("--turn-secret-file " + file + " is larger than " + MAX_SECRET_BYTES
                        + " bytes; it should hold coturn's static-auth-secret");
            }
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RtcatException(RtcatException.Kind.NO_INPUT, "cannot read --turn-secret-file " + file + ": "
                    + e.getMessage());
        }
        String secret = new String(raw, StandardCharsets.UTF_8).strip();
        if (secret.isEmpty()) {
            throw UsageErrors.error("--turn-secret-file " + file + " is empty; put coturn's static-auth-secret in it");
        }
        if (secret.chars().anyMatch(Character::isWhitespace)) {
            throw UsageErrors.error("--turn-secret-file " + file + " holds more than one word; coturn's static-auth-secret is "
                    + "one word");
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** 1m-7d: long enough for a transfer to connect, short enough that a leaked credential expires. */
    static final class Ttl implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String v) {
            Duration d = Converters.duration(v);
            if (d.compareTo(MIN_TTL) < 0 || d.compareTo(MAX_TTL) > 0) {
                throw new Converters.Invalid("must be 1m-7d");
            }
            return d;
        }
    }
}
