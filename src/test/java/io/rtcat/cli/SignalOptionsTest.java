package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `rtcat signal`'s new flags refuse bad values with one line and exit 2, before anything listens. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SignalOptionsTest {

    @TempDir
    Path dir;

    private String refuse(String... args) {
        List<String> all = new ArrayList<>(List.of("signal", "--port", "0", "--bind", "127.0.0.1", "--run-for", "0"));
        all.addAll(List.of(args));
        CliRun run = CliRun.of(all.toArray(new String[0]));
        assertEquals(ExitCode.USAGE, run.exitCode(), () -> all + ": " + run);
        List<String> lines = run.err().lines().filter(l -> l.startsWith("rtcat: ")).toList();
        assertEquals(1, lines.size(), run.toString());
        return lines.get(0);
    }

    @Test
    void badTurnSettingsAreRefusedWithOneLine() throws Exception {
        Path secret = Files.writeString(dir.resolve("turn.secret"), "s3cret\n");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        String f = secret.toString();
        assertTrue(refuse("--turn-url", "turn:h:3478").contains("--turn-url needs --turn-secret-file"));
        assertTrue(refuse("--turn-for-anyone", "--turn-secret-file", f).contains("needs at least one --turn-url"));
        assertTrue(refuse("--turn-for-anyone", "--turn-secret-file", f, "--turn-url", "stun:h:3478").contains("must be turn: or turns:"));
        String creds = refuse("--turn-for-anyone", "--turn-secret-file", f, "--turn-url", "turn:user:pw@h:3478");
        assertTrue(creds.contains("no credentials in the url") && !creds.contains("pw"), creds);
        assertTrue(refuse("--turn-for-anyone", "--turn-secret-file", f, "--turn-url", "turn:h:99999").contains("port"));
        assertTrue(refuse("--turn-for-anyone", "--turn-secret-file", f, "--turn-url", "turn:h", "--turn-ttl", "10s")
                .contains("invalid --turn-ttl 10s: must be 1m-7d"));
        assertTrue(refuse("--turn-for-anyone", "--turn-secret-file", f, "--turn-url", "turn:h", "--turn-ttl", "soon")
                .contains("invalid --turn-ttl soon"));
        assertTrue(refuse("--turn-for-anyone", "--turn-secret-file", empty.toString(), "--turn-url", "turn:h").contains("is empty"));
    }

    /** Before: every anonymous join got a one-hour TURN credential. */
    @Test
    void turnCredentialsNeedAuthenticatedClientsOrAnExplicitForAnyone() throws Exception {
        String f = Files.writeString(dir.resolve("turn.secret"), "s3cret\n").toString();
        assertTrue(refuse("--turn-secret-file", f, "--turn-url", "turn:h:3478")
                .contains("--turn-secret-file would hand TURN credentials to anyone who connects"));
        assertTrue(refuse("--turn-for-anyone").contains("--turn-for-anyone needs --turn-secret-file"));
    }

    @Test
    void badLimitsAreRefusedWithOneLine() {
        assertTrue(refuse("--max-rooms-per-ip", "-1").contains("invalid --max-rooms-per-ip -1: must be 0-1000000"));
        assertTrue(refuse("--handshake-timeout", "0").contains("invalid --handshake-timeout 0: must be 1-3600"));
        assertTrue(refuse("--handshake-timeout", "4000").contains("must be 1-3600 seconds"));
    }
}
