package io.rtcat.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.cli.ExitCode;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.IceServerUrl;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProbeErrorTranslationTest {

    static IceServerUrl url(String text) throws RtcatException {
        return IceServerUrl.parse(text, null, null);
    }

    @Test
    void wrongTurnCredentialsNameTheCredentials() throws Exception {
        ServerError e = ErrorTranslator.translate(url("turn:u:p@10.0.0.1:3478"), "turn:10.0.0.1:3478?transport=udp",
                401, "Unauthorized", 139);
        assertEquals("the TURN server turn:10.0.0.1:3478 rejected the credentials: wrong username or password "
                + "(401: Unauthorized)", e.sentence());
        assertTrue(e.hint().startsWith("check the TURN username and password"), e.hint());
        assertEquals(ProbeFailure.Kind.TURN_AUTH_FAILED, e.failure());
        assertEquals(ExitCode.PROBE_TURN_AUTH, ExitCode.of(e.failure()));
    }

    @Test
    void unreachableTurnOverUdpSuggestsTcp() throws Exception {
        ServerError e = ErrorTranslator.translate(url("turn:u:p@10.0.0.1:3999"), "turn:10.0.0.1:3999", 701,
                "TURN allocate request timed out.", 5000);
        assertEquals("the TURN server turn:10.0.0.1:3999 is unreachable over udp (701: TURN allocate request timed "
                + "out.)", e.sentence());
        assertTrue(e.hint().contains("port 3999"), e.hint());
        assertTrue(e.hint().contains("?transport=tcp"), e.hint());
        assertEquals(ExitCode.PROBE_TURN_UNREACHABLE, ExitCode.of(e.failure()));
    }

    @Test
    void unreachableStunMapsToTheStunCode() throws Exception {
        ServerError e = ErrorTranslator.translate(url("stun:10.0.0.1:3478"), "stun:10.0.0.1:3478", 701,
                "STUN binding request timed out.", 9000);
        assertTrue(e.sentence().startsWith("the STUN server stun:10.0.0.1:3478 is unreachable over udp"),
                e.sentence());
        assertEquals(ExitCode.PROBE_STUN_UNREACHABLE, ExitCode.of(e.failure()));
    }

    @Test
    void otherCodesStillGiveASentenceAndHint() throws Exception {
        ServerError quota = ErrorTranslator.translate(url("turn:u:p@h"), "turn:h:3478", 486, "Allocation Quota "
                + "Reached", 1);
        assertTrue(quota.sentence().contains("no capacity left"), quota.sentence());
        assertEquals(ProbeFailure.Kind.TURN_UNREACHABLE, quota.failure());
        ServerError odd = ErrorTranslator.translate(url("turn:u:p@h?transport=tcp"), "turn:h:3478", 599, "", 1);
        assertEquals("the TURN server turn:h:3478?transport=tcp answered with an error (599)", odd.sentence());
        assertTrue(odd.hint().contains("log"), odd.hint());
    }

    @Test
    void probeExitCodesMatchTheCliConstants() {
        assertEquals(ExitCode.PROBE_STUN_UNREACHABLE, ExitCode.of(ProbeFailure.Kind.STUN_UNREACHABLE));
        assertEquals(ExitCode.PROBE_TURN_AUTH, ExitCode.of(ProbeFailure.Kind.TURN_AUTH_FAILED));
        assertEquals(ExitCode.PROBE_TURN_UNREACHABLE, ExitCode.of(ProbeFailure.Kind.TURN_UNREACHABLE));
        assertEquals(ExitCode.PROBE_MISSING_TYPE, ExitCode.of(ProbeFailure.Kind.MISSING_TYPE));
        assertEquals(ExitCode.PROBE_TIMED_OUT, ExitCode.of(ProbeFailure.Kind.TIMED_OUT));
    }
}
