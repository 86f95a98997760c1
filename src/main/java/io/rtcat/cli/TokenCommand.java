package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.signaling.JoinTokens;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Mint a join token for a signaling server run with `rtcat signal --secret-file FILE`.",
            "",
            "A token admits its holder to one room until it expires; the server checks the signature "
                    + "(HMAC-SHA256 with the secret) and keeps no list. Peers pass it in the URL: "
                    + "--signal 'ws://HOST:8765/?token=TOKEN'. Connections without a valid token are closed "
                    + "with 4401; a join to another room is refused with the error room-not-allowed.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat token --new-secret /etc/rtcat/join.key",
            "      32 random bytes, mode 600",
            "  rtcat token --secret-file /etc/rtcat/join.key --room team-a --expires 8h",
        })
final class TokenCommand extends BaseCommand {

    @Option(names = "--secret-file", paramLabel = "FILE", description = "The server's signing secret.")
    Path secretFile;

    @Option(names = "--room", paramLabel = "NAME", description = "The room the token admits to.")
    String room;

    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "1h", converter = Converters.Lifetime.class,
            description = "How long the token is valid: 90s, 30m, 8h, 7d (default: ${DEFAULT-VALUE}).")
    Duration expires;

    @Option(names = "--new-secret", paramLabel = "FILE",
            description = "Instead: write a new random secret to FILE (never overwrites).")
    Path newSecret;

    @Override
    int execute() throws RtcatException {
        if (newSecret != null) {
            if (secretFile != null || room != null) {
                throw UsageErrors.error("--new-secret writes a secret; mint tokens with --secret-file and --room "
                        + "afterwards");
            }
            writeSecret(newSecret);
            note("rtcat token: wrote a new secret to " + newSecret
                    + "; start the server with: rtcat signal --secret-file " + newSecret);
            return ExitCode.OK;
        }
        if (secretFile == null || room == null || room.isEmpty()) {
            throw UsageErrors.error("mint a token with --secret-file FILE --room NAME (or create a secret with "
                    + "--new-secret)");
        }
        byte[] secret = SecretFile.read(secretFile);
        Instant until = Instant.now().plus(expires);
        String token = JoinTokens.mint(secret, room, until);
        if (global.json) {
            console.out.println(JsonDocument.create().put("token", token).put("room", room)
                    .put("expires", until.getEpochSecond()).toPrettyString());
        } else {
            console.out.println(token);
        }
        console.out.flush();
        note("rtcat token: valid for room \"" + room + "\" until " + until + " (pass it as ?token=... in --signal)");
        return ExitCode.OK;
    }

    /** 32 random bytes, written to a temporary file (mode 600), synced, then moved into place; never overwrites. */
    private static void writeSecret(Path file) throws RtcatException {
        if (Files.exists(file)) {
            throw new RtcatException(RtcatException.Kind.CANT_CREATE, file + " exists; not overwriting a secret",
                    "choose another path, or delete the old one if no server uses it");
        }
        byte[] secret = new byte[JoinTokens.MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".rtcat-secret-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, secret, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            if (Files.size(file) != secret.length) {
                throw new IOException("the secret file changed underneath");
            }
        } catch (FileAlreadyExistsException e) {
            throw new RtcatException(RtcatException.Kind.CANT_CREATE, file + " exists; not overwriting a secret");
        } catch (IOException | UnsupportedOperationException e) {
            throw new RtcatException(RtcatException.Kind.CANT_CREATE, "cannot write " + file + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary file holds no secret that is in use
                }
            }
        }
    }
}
