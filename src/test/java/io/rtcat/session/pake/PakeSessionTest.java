package io.rtcat.session.pake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.errors.RtcatException;
import io.rtcat.session.pake.PakeSession.Role;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PakeSessionTest {

    private static final SecureRandom RND = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The two sides of one run, driven in one thread. */
    private static final class Pair {
        final PakeSession sender;
        final PakeSession receiver;

        Pair(String senderCode, String receiverCode) {
            sender = new PakeSession(senderCode, Role.SENDER, RND);
            receiver = new PakeSession(receiverCode, Role.RECEIVER, RND);
        }

        void round1() throws RtcatException {
            Map<String, String> s = sender.round1();
            Map<String, String> r = receiver.round1();
            sender.acceptRound1(r);
            receiver.acceptRound1(s);
        }

        void round2() throws RtcatException {
            Map<String, String> s = sender.round2();
            Map<String, String> r = receiver.round2();
            sender.acceptRound2(r);
            receiver.acceptRound2(s);
        }
    }

    private static byte[][] fullRun(String senderCode, String receiverCode) throws RtcatException {
        Pair p = new Pair(senderCode, receiverCode);
        p.round1();
        p.round2();
        Map<String, String> s3 = p.sender.round3();
        Map<String, String> r3 = p.receiver.round3();
        p.sender.acceptRound3(r3);
        p.receiver.acceptRound3(s3);
        return new byte[][] {p.sender.sessionKey(), p.receiver.sessionKey()};
    }

    @Test
    void sameCodeGivesEqualKeys() throws RtcatException {
        String code = CodePhrase.generate(RND).secret();
        byte[][] keys = fullRun(code, code);
        assertEquals(32, keys[0].length);
        assertArrayEquals(keys[0], keys[1]);
        byte[][] again = fullRun(code, code);
        assertFalse(java.util.Arrays.equals(keys[0], again[0]), "each run must give a fresh key");
    }

    @Test
    void manyRunsAgreeIncludingNegativeMacTags() throws RtcatException {
        // BouncyCastle's MAC tag is a signed BigInteger; about half the runs exercise the negative case.
        for (int i = 0; i < 12; i++) {
            byte[][] keys = fullRun("12-apple-banana", "12-apple-banana");
            assertArrayEquals(keys[0], keys[1]);
        }
    }

    @Test
    void differentCodesFailAtRoundThreeWithoutKey() throws RtcatException {
        Pair p = new Pair("7-crossbow-orbit", "7-crossbow-orchid");
        p.round1();
        p.round2(); // a wrong password is not detectable before key confirmation
        Map<String, String> s3 = p.sender.round3();
        Map<String, String> r3 = p.receiver.round3();
        RtcatException onSender = assertThrows(RtcatException.class, () -> p.sender.acceptRound3(r3));
        RtcatException onReceiver = assertThrows(RtcatException.class, () -> p.receiver.acceptRound3(s3));
        for (RtcatException e : List.of(onSender, onReceiver)) {
            assertEquals(RtcatException.Kind.FAILED, e.kind());
            assertEquals("code phrase mismatch: the PAKE failed (wrong code or interference)", e.getMessage());
        }
        assertThrows(IllegalStateException.class, p.sender::sessionKey);
        assertThrows(IllegalStateException.class, p.receiver::sessionKey);
        assertFalse(p.sender.isComplete());
        // The failure is final: no second try on the same session.
        assertThrows(IllegalStateException.class, () -> p.sender.acceptRound3(r3));
    }

    /** A stranger's round 1 with a failing proof is refused and the session still completes with the real peer. */
    @Test
    void aRejectedOfferedRoundOneLeavesTheSessionWaitingForTheRealOne() throws RtcatException {
        for (String field : List.of("gx1", "zkp1_r", "zkp2_gv")) {
            PakeSession sender = new PakeSession("3-ab-cd", Role.SENDER, RND);
            PakeSession receiver = new PakeSession("3-ab-cd", Role.RECEIVER, RND);
            Map<String, String> s1 = sender.round1();
            Map<String, String> r1 = receiver.round1();
            Map<String, String> forged = new HashMap<>(new PakeSession("9-zz-zz", Role.RECEIVER, RND).round1());
            forged.put(field, flipLastHexDigit(forged.get(field)));
            assertFalse(sender.offerRound1(forged), field);
            assertFalse(sender.offerRound1(Map.of("junk", "1")), field);
            assertTrue(sender.offerRound1(r1), field);
            receiver.acceptRound1(s1);
            Map<String, String> s2 = sender.round2();
            Map<String, String> r2 = receiver.round2();
            sender.acceptRound2(r2);
            receiver.acceptRound2(s2);
            Map<String, String> s3 = sender.round3();
            Map<String, String> r3 = receiver.round3();
            sender.acceptRound3(r3);
            receiver.acceptRound3(s3);
            assertArrayEquals(sender.sessionKey(), receiver.sessionKey(), field);
        }
    }

    @Test
    void tamperedRoundOneFieldIsRejected() throws RtcatException {
        for (String field : List.of("gx1", "gx2", "zkp1_gv", "zkp1_r", "zkp2_gv", "zkp2_r")) {
            PakeSession sender = new PakeSession("3-ab-cd", Role.SENDER, RND);
            PakeSession receiver = new PakeSession("3-ab-cd", Role.RECEIVER, RND);
            sender.round1();
            Map<String, String> r1 = new HashMap<>(receiver.round1());
            r1.put(field, flipLastHexDigit(r1.get(field)));
            RtcatException e = assertThrows(RtcatException.class, () -> sender.acceptRound1(r1), field);
            assertTrue(e.kind() == RtcatException.Kind.PROTOCOL || e.kind() == RtcatException.Kind.FAILED, field);
            assertTrue(e.getMessage().startsWith("malformed PAKE message: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertThrows(IllegalStateException.class, sender::round2, "a failed session stays failed");
        }
    }

    @Test
    void tamperedRoundTwoIsRejected() throws RtcatException {
        Pair p = new Pair("3-ab-cd", "3-ab-cd");
        p.round1();
        p.sender.round2();
        Map<String, String> r2 = new HashMap<>(p.receiver.round2());
        r2.put("a", flipLastHexDigit(r2.get("a")));
        RtcatException e = assertThrows(RtcatException.class, () -> p.sender.acceptRound2(r2));
        assertEquals(RtcatException.Kind.PROTOCOL, e.kind());
    }

    @Test
    void malformedFieldsAreProtocolErrors() throws RtcatException {
        List<UnaryOperator<Map<String, String>>> breakages = List.of(
                m -> with(m, "gx1", "xyz"),
                m -> with(m, "gx1", "ABCDEF"),
                m -> with(m, "gx1", ""),
                m -> with(m, "gx1", "-1f"),
                m -> with(m, "gx1", "0"),
                m -> with(m, "gx2", "f".repeat(2000)),
                m -> with(m, "zkp1_r", "g1"),
                m -> without(m, "gx2"),
                m -> without(m, "zkp2_r"),
                m -> without(m, "participant"),
                m -> with(m, "participant", "rtcat-sender"),
                m -> with(m, "participant", "mallory"),
                m -> with(m, "round", "2"),
                m -> with(m, "suite", "spake2"));
        for (UnaryOperator<Map<String, String>> breakage : breakages) {
            PakeSession sender = new PakeSession("3-ab-cd", Role.SENDER, RND);
            PakeSession receiver = new PakeSession("3-ab-cd", Role.RECEIVER, RND);
            sender.round1();
            Map<String, String> bad = breakage.apply(new HashMap<>(receiver.round1()));
            RtcatException e = assertThrows(RtcatException.class, () -> sender.acceptRound1(bad), bad.toString());
            assertEquals(RtcatException.Kind.PROTOCOL, e.kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith("malformed PAKE message: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void malformedRoundThreeMacIsProtocolError() throws RtcatException {
        Pair p = new Pair("3-ab-cd", "3-ab-cd");
        p.round1();
        p.round2();
        p.sender.round3();
        Map<String, String> r3 = new HashMap<>(p.receiver.round3());
        r3.put("mac", r3.get("mac").substring(2));
        RtcatException e = assertThrows(RtcatException.class, () -> p.sender.acceptRound3(r3));
        assertEquals(RtcatException.Kind.PROTOCOL, e.kind());
        assertThrows(IllegalStateException.class, p.sender::sessionKey);
    }

    @Test
    void tamperedMacLooksLikeMismatch() throws RtcatException {
        Pair p = new Pair("3-ab-cd", "3-ab-cd");
        p.round1();
        p.round2();
        p.sender.round3();
        Map<String, String> r3 = new HashMap<>(p.receiver.round3());
        r3.put("mac", flipLastHexDigit(r3.get("mac")));
        RtcatException e = assertThrows(RtcatException.class, () -> p.sender.acceptRound3(r3));
        assertEquals(RtcatException.Kind.FAILED, e.kind());
    }

    @Test
    void outOfOrderCallsThrowIllegalState() throws RtcatException {
        PakeSession s = new PakeSession("3-ab-cd", Role.SENDER, RND);
        PakeSession r = new PakeSession("3-ab-cd", Role.RECEIVER, RND);
        assertThrows(IllegalStateException.class, s::round2);
        assertThrows(IllegalStateException.class, s::round3);
        assertThrows(IllegalStateException.class, s::sessionKey);
        Map<String, String> r1 = r.round1();
        assertThrows(IllegalStateException.class, () -> s.acceptRound1(r1), "must create round 1 first");
        s.round1();
        assertThrows(IllegalStateException.class, s::round1, "round 1 only once");
        assertThrows(IllegalStateException.class, s::round2, "must accept round 1 first");
        s.acceptRound1(r1);
        assertThrows(IllegalStateException.class, () -> s.acceptRound1(r1), "accept only once");
        assertThrows(IllegalStateException.class, s::round3);
        s.round2();
        assertThrows(IllegalStateException.class, s::sessionKey);
    }

    @Test
    void messagesSurviveJsonUnchanged() throws Exception {
        Pair p = new Pair("5-quartz-tuba", "5-quartz-tuba");
        Map<String, String> s1 = p.sender.round1();
        Map<String, String> r1 = p.receiver.round1();
        p.sender.acceptRound1(viaJson(r1));
        p.receiver.acceptRound1(viaJson(s1));
        Map<String, String> s2 = p.sender.round2();
        Map<String, String> r2 = p.receiver.round2();
        p.sender.acceptRound2(viaJson(r2));
        p.receiver.acceptRound2(viaJson(s2));
        Map<String, String> s3 = p.sender.round3();
        Map<String, String> r3 = p.receiver.round3();
        p.sender.acceptRound3(viaJson(r3));
        p.receiver.acceptRound3(viaJson(s3));
        assertArrayEquals(p.sender.sessionKey(), p.receiver.sessionKey());

        for (Map<String, String> m : List.of(s1, r1, s2, r2, s3, r3)) {
            assertTrue(m.containsKey("participant"), m.toString());
            for (Map.Entry<String, String> e : m.entrySet()) {
                if (!List.of("participant", "round", "suite").contains(e.getKey())) {
                    assertTrue(e.getValue().matches("[0-9a-f]+"), e.getKey() + "=" + e.getValue());
                }
            }
        }
        assertEquals("rtcat-sender", s1.get("participant"));
        assertEquals("rtcat-receiver", r1.get("participant"));
        assertEquals(64, s3.get("mac").length());
    }

    @Test
    void sameRoleOnBothSidesIsRejected() throws RtcatException {
        PakeSession a = new PakeSession("3-ab-cd", Role.SENDER, RND);
        PakeSession b = new PakeSession("3-ab-cd", Role.SENDER, RND);
        a.round1();
        Map<String, String> b1 = b.round1();
        RtcatException e = assertThrows(RtcatException.class, () -> a.acceptRound1(b1));
        assertEquals(RtcatException.Kind.PROTOCOL, e.kind());
        assertTrue(e.getMessage().contains("same role"), e.getMessage());
    }

    @Test
    void emptyPasswordIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new PakeSession("", Role.SENDER, RND));
    }

    @Test
    void timing(TestReporter reporter) throws RtcatException {
        long t0 = System.nanoTime();
        fullRun("1-ab-cd", "1-ab-cd");
        long first = System.nanoTime() - t0;
        int n = 20;
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            fullRun("1-ab-cd", "1-ab-cd");
        }
        long warm = (System.nanoTime() - t1) / n;
        reporter.publishEntry("pake-first-run-ms", Long.toString(first / 1_000_000));
        reporter.publishEntry("pake-warm-run-ms", Long.toString(warm / 1_000_000));
        // Generous bound so slow CI machines pass; it only catches something pathological.
        assertTrue(warm < TimeUnit.SECONDS.toNanos(5), "warm run took " + warm / 1_000_000 + " ms");
    }

    private static Map<String, String> viaJson(Map<String, String> m) throws Exception {
        String text = JSON.writeValueAsString(m);
        Map<String, String> back = JSON.readValue(text, new TypeReference<Map<String, String>>() { });
        assertEquals(m, back);
        return back;
    }

    private static Map<String, String> with(Map<String, String> m, String key, String value) {
        m.put(key, value);
        return m;
    }

    private static Map<String, String> without(Map<String, String> m, String key) {
        m.remove(key);
        return m;
    }

    private static String flipLastHexDigit(String hex) {
        char last = hex.charAt(hex.length() - 1);
        char flipped = Character.forDigit(Character.digit(last, 16) ^ 1, 16);
        String out = hex.substring(0, hex.length() - 1) + flipped;
        assertNotEquals(hex, out);
        return out;
    }
}
