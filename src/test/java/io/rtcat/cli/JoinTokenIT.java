package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.testing.RtcatProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `rtcat token` and `rtcat signal --secret-file` as a user runs them: real processes, real peers. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JoinTokenIT {

    @TempDir
    Path tmp;

    private static String run(int expectedExit, String... args) throws Exception {
        try (RtcatProcess p = RtcatProcess.start(args)) {
            assertEquals(expectedExit, p.await(60), p.toString());
            return expectedExit == 0 ? p.stdout().strip() : p.stderr();
        }
    }

    @Test
    void aSecretIsWrittenOnceWithOwnerOnlyPermissions() throws Exception {
        Path key = tmp.resolve("join.key");
        run(0, "token", "--new-secret", key.toString());
        assertEquals(32, Files.size(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        byte[] first = Files.readAllBytes(key);
        String err = run(ExitCode.CANT_CREATE, "token", "--new-secret", key.toString());
        assertTrue(err.contains("not overwriting"), err);
        assertEquals(-1L, Files.mismatch(key, Files.write(tmp.resolve("copy"), first)));
        Path weak = Files.writeString(tmp.resolve("weak.key"), "short");
        err = run(ExitCode.USAGE, "token", "--secret-file", weak.toString(), "--room", "r");
        assertTrue(err.contains("at least 32") && err.contains("--new-secret"), err);
        err = run(ExitCode.USAGE, "token", "--secret-file", key.toString(), "--room", "r", "--expires", "soon");
        assertTrue(err.contains("--expires"), err);
    }

    @Test
    void peersWithATokenForTheRoomMeetOthersAreTurnedAway() throws Exception {
        Path key = tmp.resolve("join.key");
        run(0, "token", "--new-secret", key.toString());
        String team = run(0, "token", "--secret-file", key.toString(), "--room", "team", "--expires", "10m");
        String other = run(0, "token", "--secret-file", key.toString(), "--room", "other");
        try (RtcatProcess signal = RtcatProcess.start("signal", "--port", "0", "--bind", "127.0.0.1",
                "--secret-file", key.toString())) {
            String url = signal.awaitStderr("listening on (ws://\\S+/)", 30);
            assertTrue(signal.stderr().contains("signed join tokens required"), signal.toString());
            try (RtcatProcess respond = RtcatProcess.start("respond", "--signal", url + "?token=" + team, "--room",
                    "team", "--once")) {
                respond.awaitStderr("(Waiting for checks)", 30);
                try (RtcatProcess check = RtcatProcess.start("check", "--signal", url + "?token=" + team, "--room",
                        "team", "--size", "256K", "--count", "3", "-q")) {
                    assertEquals(0, check.await(90), check.toString());
                }
                assertEquals(0, respond.await(30), respond.toString());
            }
            try (RtcatProcess wrongRoom = RtcatProcess.start("check", "--signal", url + "?token=" + other, "--room",
                    "team", "--timeout", "10")) {
                assertEquals(ExitCode.UNAVAILABLE, wrongRoom.await(60), wrongRoom.toString());
                assertTrue(wrongRoom.stderr().contains("room-not-allowed"), wrongRoom.toString());
            }
            try (RtcatProcess noToken = RtcatProcess.start("check", "--signal", url, "--room", "team", "--timeout",
                    "10")) {
                assertTrue(noToken.await(60) != 0, noToken.toString());
                assertTrue(noToken.stderr().contains("4401") || noToken.stderr().contains("token"), noToken.toString());
            }
        }
    }
}
