package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.signaling.JoinTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The signing secret of join tokens: a file's raw bytes (e.g. `rtcat token --new-secret FILE`). */
final class SecretFile {

    private SecretFile() {
    }

    static byte[] read(Path file) throws RtcatException {
        byte[] secret;
        try {
            secret = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RtcatException(RtcatException.Kind.NO_INPUT, "cannot read --secret-file " + file + ": "
                    + e.getMessage());
        }
        if (secret.length < JoinTokens.MIN_SECRET_BYTES) {
            throw new RtcatException(RtcatException.Kind.USAGE, "--secret-file " + file + " holds " + secret.length
                    + " bytes; a signing secret needs at least " + JoinTokens.MIN_SECRET_BYTES,
                    "create one with: rtcat token --new-secret " + file);
        }
        return secret;
    }
}
