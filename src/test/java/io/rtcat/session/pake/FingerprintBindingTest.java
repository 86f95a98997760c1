package io.rtcat.session.pake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FingerprintBindingTest {

    private static final String OFFER_FP =
            "8C:71:B4:E2:1F:0A:93:5D:C6:27:E8:44:B9:02:7F:D1:63:AA:58:0E:C4:91:3B:F6:25:D8:70:1C:E9:4A:B3:06";
    private static final String ANSWER_FP =
            "3E:A9:D4:17:C2:6B:80:F5:29:4D:B1:E6:0C:93:78:5A:DF:12:87:C0:4E:B6:39:A1:F8:25:6D:03:9C:E4:71:BA";

    /** A Chrome-style data-channel offer; fingerprint at media level, lowercase hash name. */
    private static final String OFFER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:Xq3b",
            "a=ice-pwd:k9Jd2mP0rS7tLw1vY4zQ8nCe",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 " + OFFER_FP,
            "a=setup:actpass",
            "a=mid:0",
            "a=sctp-port:5000",
            "a=max-message-size:262144",
            "");

    /** A Firefox-style answer: session-level fingerprint, uppercase hash name, plus a candidate. */
    private static final String ANSWER = String.join("\r\n",
            "v=0",
            "o=mozilla...THIS_IS_SDPARTA-99.0 7312960518231174920 0 IN IP4 0.0.0.0",
            "s=-",
            "t=0 0",
            "a=fingerprint:SHA-256 " + ANSWER_FP,
            "a=group:BUNDLE 0",
            "a=ice-options:trickle",
            "a=msid-semantic:WMS *",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=candidate:0 1 UDP 2122252543 192.168.1.20 54321 typ host",
            "a=sendrecv",
            "a=ice-pwd:1f0c7e5ab3d94c62e8a0b7d5c3e1f9a2",
            "a=ice-ufrag:6d2f81a0",
            "a=mid:0",
            "a=setup:active",
            "a=sctp-port:5000",
            "a=max-message-size:1073741823",
            "");

    private static final byte[] KEY = sha256("pake session key");
    private static final byte[] OTHER_KEY = sha256("another key");

    @Test
    void extractsAndNormalisesFingerprints() throws RtcatException {
        assertEquals(List.of("sha-256 " + OFFER_FP), FingerprintBinding.fingerprints(OFFER));
        assertEquals(List.of("sha-256 " + ANSWER_FP), FingerprintBinding.fingerprints(ANSWER));
        String messy = "v=0\na=fingerprint:SHA-256   " + OFFER_FP.toLowerCase() + "  \n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "a=fingerprint:sha-1 AB:cd:01:23\n";
        assertEquals(List.of("sha-256 " + OFFER_FP, "sha-1 AB:CD:01:23"), FingerprintBinding.fingerprints(messy));
    }

    @Test
    void matchingSdpsVerify() throws RtcatException {
        String senderMac = FingerprintBinding.mac(KEY, "rtcat-sender", OFFER, ANSWER);
        String receiverMac = FingerprintBinding.mac(KEY, "rtcat-receiver", OFFER, ANSWER);
        assertTrue(senderMac.matches("[0-9a-f]{64}"), senderMac);
        assertNotEquals(senderMac, receiverMac);
        assertTrue(FingerprintBinding.verify(KEY, "rtcat-sender", OFFER, ANSWER, senderMac));
        assertTrue(FingerprintBinding.verify(KEY, "rtcat-receiver", OFFER, ANSWER, receiverMac));
        // Differences outside the fingerprints (e.g. trickled candidates, line endings) do not matter.
        String offerWithCandidate = OFFER.replace("a=setup:actpass",
                "a=candidate:1 1 udp 2113937151 10.0.0.5 50000 typ host\r\na=setup:actpass").replace("\r\n", "\n");
        assertTrue(FingerprintBinding.verify(KEY, "rtcat-sender", offerWithCandidate, ANSWER, senderMac));
    }

    @Test
    void rewrittenFingerprintIsDetected() throws RtcatException {
        // The receiver applied an offer whose fingerprint the signaling server changed by one hex digit.
        String tampered = OFFER.replace(OFFER_FP, "9" + OFFER_FP.substring(1));
        assertNotEquals(OFFER, tampered);
        String senderMac = FingerprintBinding.mac(KEY, "rtcat-sender", OFFER, ANSWER);
        assertFalse(FingerprintBinding.verify(KEY, "rtcat-sender", tampered, ANSWER, senderMac));
        String receiverMac = FingerprintBinding.mac(KEY, "rtcat-receiver", tampered, ANSWER);
        assertFalse(FingerprintBinding.verify(KEY, "rtcat-receiver", OFFER, ANSWER, receiverMac));
        // Same for the answer's fingerprint.
        String tamperedAnswer = ANSWER.replace(ANSWER_FP, ANSWER_FP.substring(0, ANSWER_FP.length() - 1) + "B");
        assertFalse(FingerprintBinding.verify(KEY, "rtcat-sender", OFFER, tamperedAnswer, senderMac));
    }

    @Test
    void differentKeyFails() throws RtcatException {
        String mac = FingerprintBinding.mac(KEY, "rtcat-sender", OFFER, ANSWER);
        assertFalse(FingerprintBinding.verify(OTHER_KEY, "rtcat-sender", OFFER, ANSWER, mac));
    }

    @Test
    void roleConfusionFails() throws RtcatException {
        String senderMac = FingerprintBinding.mac(KEY, "rtcat-sender", OFFER, ANSWER);
        assertFalse(FingerprintBinding.verify(KEY, "rtcat-receiver", OFFER, ANSWER, senderMac));
    }

    @Test
    void swappedOfferAndAnswerFail() throws RtcatException {
        String mac = FingerprintBinding.mac(KEY, "rtcat-sender", OFFER, ANSWER);
        assertFalse(FingerprintBinding.verify(KEY, "rtcat-sender", ANSWER, OFFER, mac));
    }

    @Test
    void encodingIsUnambiguous() throws RtcatException {
        // Moving a fingerprint from the end of the offer's list to the start of the answer's must change the MAC.
        String aa = "a=fingerprint:sha-256 AA:BB\n";
        String cc = "a=fingerprint:sha-256 CC:DD\n";
        String ee = "a=fingerprint:sha-256 EE:FF\n";
        String mac1 = FingerprintBinding.mac(KEY, "r", "v=0\n" + aa + cc, "v=0\n" + ee);
        String mac2 = FingerprintBinding.mac(KEY, "r", "v=0\n" + aa, "v=0\n" + cc + ee);
        assertNotEquals(mac1, mac2);
        // Order within a list matters too.
        assertNotEquals(mac1, FingerprintBinding.mac(KEY, "r", "v=0\n" + cc + aa, "v=0\n" + ee));
    }

    @Test
    void malformedMacIsFalse() throws RtcatException {
        String mac = FingerprintBinding.mac(KEY, "rtcat-sender", OFFER, ANSWER);
        assertTrue(FingerprintBinding.verify(KEY, "rtcat-sender", OFFER, ANSWER, mac.toUpperCase()));
        for (String bad : new String[] {null, "", "zz", mac.substring(2), mac + "00", "g" + mac.substring(1)}) {
            assertFalse(FingerprintBinding.verify(KEY, "rtcat-sender", OFFER, ANSWER, bad), String.valueOf(bad));
        }
    }

    @Test
    void missingFingerprintIsProtocolError() {
        String stripped = OFFER.replace("a=fingerprint:sha-256 " + OFFER_FP + "\r\n", "");
        assertFalse(stripped.contains("fingerprint"));
        for (RtcatException e : List.of(
                assertThrows(RtcatException.class, () -> FingerprintBinding.fingerprints(stripped)),
                assertThrows(RtcatException.class, () -> FingerprintBinding.mac(KEY, "rtcat-sender", stripped, ANSWER)),
                assertThrows(RtcatException.class,
                        () -> FingerprintBinding.verify(KEY, "rtcat-sender", OFFER, stripped, "00".repeat(32))),
                assertThrows(RtcatException.class, () -> FingerprintBinding.fingerprints("")),
                assertThrows(RtcatException.class, () -> FingerprintBinding.fingerprints(null)))) {
            assertEquals(RtcatException.Kind.PROTOCOL, e.kind());
            assertEquals("the peer's session description has no DTLS fingerprint", e.getMessage());
        }
    }

    @Test
    void malformedFingerprintIsProtocolError() {
        RtcatException e = assertThrows(RtcatException.class,
                () -> FingerprintBinding.fingerprints("v=0\r\na=fingerprint:sha-256\r\n"));
        assertEquals(RtcatException.Kind.PROTOCOL, e.kind());
    }

    @Test
    void shortKeyIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class,
                () -> FingerprintBinding.mac(new byte[4], "rtcat-sender", OFFER, ANSWER));
    }

    @Test
    void worksWithARealPakeKey() throws RtcatException {
        SecureRandom rnd = new SecureRandom();
        PakeSession sender = new PakeSession("9-velvet-wombat", PakeSession.Role.SENDER, rnd);
        PakeSession receiver = new PakeSession("9-velvet-wombat", PakeSession.Role.RECEIVER, rnd);
        Map<String, String> s1 = sender.round1();
        Map<String, String> r1 = receiver.round1();
        sender.acceptRound1(r1);
        receiver.acceptRound1(s1);
        Map<String, String> s2 = sender.round2();
        Map<String, String> r2 = receiver.round2();
        sender.acceptRound2(r2);
        receiver.acceptRound2(s2);
        Map<String, String> s3 = sender.round3();
        Map<String, String> r3 = receiver.round3();
        sender.acceptRound3(r3);
        receiver.acceptRound3(s3);

        String role = PakeSession.Role.SENDER.participantId();
        String senderMac = FingerprintBinding.mac(sender.sessionKey(), role, OFFER, ANSWER);
        assertTrue(FingerprintBinding.verify(receiver.sessionKey(), role, OFFER, ANSWER, senderMac));
        String tampered = OFFER.replace(OFFER_FP, OFFER_FP.replace("8C:71", "8C:70"));
        assertFalse(FingerprintBinding.verify(receiver.sessionKey(), role, tampered, ANSWER, senderMac));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
