package io.rtcat.session.pake;

import io.rtcat.errors.RtcatException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.agreement.jpake.JPAKEParticipant;
import org.bouncycastle.crypto.agreement.jpake.JPAKEPrimeOrderGroup;
import org.bouncycastle.crypto.agreement.jpake.JPAKEPrimeOrderGroups;
import org.bouncycastle.crypto.agreement.jpake.JPAKERound1Payload;
import org.bouncycastle.crypto.agreement.jpake.JPAKERound2Payload;
import org.bouncycastle.crypto.agreement.jpake.JPAKERound3Payload;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * One side of a password-authenticated key exchange (J-PAKE over the NIST 3072-bit prime-order group
 * with SHA-256, BouncyCastle's {@code org.bouncycastle.crypto.agreement.jpake}) keyed by a
 * {@link CodePhrase#secret()}.
 *
 * <p>Both sides run the same three rounds. In each round a side first creates its own message
 * ({@link #round1()}, {@link #round2()}, {@link #round3()}), sends it, then validates the peer's
 * ({@link #acceptRound1}, {@link #acceptRound2}, {@link #acceptRound3}); calls in any other order throw
 * {@link IllegalStateException}. Round 3 is key confirmation: it fails unless both sides used the same
 * password. Only after {@link #acceptRound3} succeeded is {@link #sessionKey()} available.
 *
 * <p>Messages are flat {@code String -> String} maps, so they fit in any JSON signaling message. Numbers
 * are lowercase hex. Every message carries {@code "round"} and {@code "participant"} ({@code
 * rtcat-sender} or {@code rtcat-receiver}); round 1 also names the {@code "suite"}. The fields are:
 * <ul>
 *   <li>round 1: {@code gx1}, {@code gx2}, {@code zkp1_gv}, {@code zkp1_r}, {@code zkp2_gv}, {@code zkp2_r}
 *   <li>round 2: {@code a}, {@code zkp_gv}, {@code zkp_r}
 *   <li>round 3: {@code mac}: the 32-byte HMAC key-confirmation tag, 64 hex digits
 * </ul>
 * Unknown fields are ignored.
 *
 * <p>Any failure is final: after an exception the session refuses further calls. An attacker (for
 * example the signaling server) therefore gets a single online guess of the code per run. Not thread-safe.
 */
public final class PakeSession {

    /** Which end of the transfer this side is; the two sides must have different roles. */
    public enum Role {
        SENDER("rtcat-sender"),
        RECEIVER("rtcat-receiver");

        private final String participantId;

        Role(String participantId) {
            this.participantId = participantId;
        }

        /** The J-PAKE participant id, e.g. {@code rtcat-sender}. */
        public String participantId() {
            return participantId;
        }

        /** The other role. */
        public Role peer() {
            return this == SENDER ? RECEIVER : SENDER;
        }
    }

    /** Value of the round-1 {@code "suite"} field. */
    public static final String SUITE = "jpake-nist3072-sha256";

    /** Message text for a wrong code (key confirmation failed). */
    public static final String MISMATCH_MESSAGE = "code phrase mismatch: the PAKE failed (wrong code or interference)";

    private static final String MALFORMED = "malformed PAKE message: ";
    private static final JPAKEPrimeOrderGroup GROUP = JPAKEPrimeOrderGroups.NIST_3072;
    private static final int P_BYTES = (GROUP.getP().bitLength() + 7) / 8;
    private static final int MAX_HEX = P_BYTES * 2;
    private static final int MAC_BYTES = 32;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    private enum Stage {
        NEW("nothing yet"),
        ROUND1_SENT("round1()"),
        ROUND1_ACCEPTED("acceptRound1()"),
        ROUND2_SENT("round2()"),
        ROUND2_ACCEPTED("acceptRound2()"),
        ROUND3_SENT("round3()"),
        DONE("acceptRound3()"),
        FAILED("a failed step");

        private final String after;

        Stage(String after) {
            this.after = after;
        }
    }

    private final Role role;
    private final JPAKEParticipant participant;
    private Stage stage = Stage.NEW;
    private BigInteger keyingMaterial;
    private byte[] sessionKey;

    /**
     * @param password the shared secret, normally {@link CodePhrase#secret()}; must not be empty
     * @param role this side's role; the peer must use the other one
     * @param rnd randomness for the ephemeral exponents
     */
    public PakeSession(String password, Role role, SecureRandom rnd) {
        Objects.requireNonNull(password, "password");
        this.role = Objects.requireNonNull(role, "role");
        Objects.requireNonNull(rnd, "rnd");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("pake password must not be empty");
        }
        char[] chars = password.toCharArray();
        try {
            this.participant = new JPAKEParticipant(role.participantId(), chars, GROUP, new SHA256Digest(), rnd);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** This side's role. */
    public Role role() {
        return role;
    }

    /** This side's round-1 message: two public keys with zero-knowledge proofs. */
    public Map<String, String> round1() {
        advance(Stage.NEW, Stage.ROUND1_SENT, "round1()");
        JPAKERound1Payload p = participant.createRound1PayloadToSend();
        Map<String, String> m = header(1);
        m.put("suite", SUITE);
        m.put("gx1", hex(p.getGx1()));
        m.put("gx2", hex(p.getGx2()));
        putProof(m, "zkp1_", p.getKnowledgeProofForX1());
        putProof(m, "zkp2_", p.getKnowledgeProofForX2());
        return m;
    }

    /**
     * Validates the peer's round-1 message.
     *
     * @throws RtcatException {@link RtcatException.Kind#PROTOCOL} if it is malformed or its proofs fail
     */
    public void acceptRound1(Map<String, String> message) throws RtcatException {
        advance(Stage.ROUND1_SENT, Stage.FAILED, "acceptRound1()");
        checkHeader(message, 1);
        String suite = message.get("suite");
        if (!SUITE.equals(suite)) {
            throw malformed("unsupported suite '" + printable(suite) + "', expected " + SUITE);
        }
        JPAKERound1Payload payload = new JPAKERound1Payload(role.peer().participantId(),
                element(message, "gx1"), element(message, "gx2"),
                proof(message, "zkp1_"), proof(message, "zkp2_"));
        try {
            participant.validateRound1PayloadReceived(payload);
        } catch (CryptoException | RuntimeException e) {
            throw rejected(1, e);
        }
        stage = Stage.ROUND1_ACCEPTED;
    }

    /**
     * Like {@link #acceptRound1}, for a round 1 from someone who may not be the peer (anyone in a signaling room
     * can send one): a malformed or unproven one returns false and leaves the session waiting for another, so
     * that a stranger's junk cannot abort it. Round 1 carries nothing about the password, so rejecting any number
     * of them tells nothing.
     */
    public boolean offerRound1(Map<String, String> message) {
        try {
            acceptRound1(message);
            return true;
        } catch (RtcatException rejected) {
            stage = Stage.ROUND1_SENT; // the library's participant keeps no trace of a payload that failed
            return false;
        }
    }

    /** This side's round-2 message: the password-blinded key share with its proof. */
    public Map<String, String> round2() {
        advance(Stage.ROUND1_ACCEPTED, Stage.ROUND2_SENT, "round2()");
        JPAKERound2Payload p = participant.createRound2PayloadToSend();
        Map<String, String> m = header(2);
        m.put("a", hex(p.getA()));
        putProof(m, "zkp_", p.getKnowledgeProofForX2s());
        return m;
    }

    /**
     * Validates the peer's round-2 message.
     *
     * @throws RtcatException {@link RtcatException.Kind#PROTOCOL} if it is malformed or its proof fails
     */
    public void acceptRound2(Map<String, String> message) throws RtcatException {
        advance(Stage.ROUND2_SENT, Stage.FAILED, "acceptRound2()");
        checkHeader(message, 2);
        JPAKERound2Payload payload = new JPAKERound2Payload(role.peer().participantId(),
                element(message, "a"), proof(message, "zkp_"));
        try {
            participant.validateRound2PayloadReceived(payload);
        } catch (CryptoException | RuntimeException e) {
            throw rejected(2, e);
        }
        stage = Stage.ROUND2_ACCEPTED;
    }

    /** This side's round-3 message: a key-confirmation tag that only the same password reproduces. */
    public Map<String, String> round3() {
        advance(Stage.ROUND2_ACCEPTED, Stage.ROUND3_SENT, "round3()");
        keyingMaterial = participant.calculateKeyingMaterial();
        JPAKERound3Payload p = participant.createRound3PayloadToSend(keyingMaterial);
        Map<String, String> m = header(3);
        m.put("mac", macHex(p.getMacTag()));
        return m;
    }

    /**
     * Checks the peer's key-confirmation tag; on success the session key becomes available.
     *
     * @throws RtcatException {@link RtcatException.Kind#FAILED} {@value #MISMATCH_MESSAGE} if the peer used
     *     a different code, {@link RtcatException.Kind#PROTOCOL} if the message is malformed
     */
    public void acceptRound3(Map<String, String> message) throws RtcatException {
        advance(Stage.ROUND3_SENT, Stage.FAILED, "acceptRound3()");
        checkHeader(message, 3);
        String macText = field(message, "mac");
        if (macText.length() != MAC_BYTES * 2 || !HEX.matcher(macText).matches()) {
            throw malformed("field 'mac' must be " + MAC_BYTES * 2 + " lowercase hex digits");
        }
        BigInteger macTag = new BigInteger(HexFormat.of().parseHex(macText));
        BigInteger km = keyingMaterial;
        keyingMaterial = null;
        try {
            participant.validateRound3PayloadReceived(
                    new JPAKERound3Payload(role.peer().participantId(), macTag), km);
        } catch (CryptoException e) {
            String why = String.valueOf(e.getMessage());
            if (why.startsWith("Partner MacTag validation failed")) {
                throw new RtcatException(RtcatException.Kind.FAILED, MISMATCH_MESSAGE,
                        "check the code with the other person and start again on both sides", e);
            }
            throw rejected(3, e);
        } catch (RuntimeException e) {
            throw rejected(3, e);
        }
        sessionKey = sha256(fixedLength(km, P_BYTES));
        stage = Stage.DONE;
    }

    /** True once {@link #acceptRound3} succeeded. */
    public boolean isComplete() {
        return stage == Stage.DONE;
    }

    /**
     * The 32-byte session key: SHA-256 of the J-PAKE keying material as a fixed-length (384-byte)
     * unsigned big-endian number. Both sides get the same key. A fresh copy each call.
     *
     * @throws IllegalStateException before {@link #acceptRound3} succeeded, or after a failure
     */
    public byte[] sessionKey() {
        if (stage != Stage.DONE) {
            throw new IllegalStateException("pake session key is not available: round 3 has not been validated");
        }
        return sessionKey.clone();
    }

    // --- state -----------------------------------------------------------------------------------

    /**
     * Checks that the session is at {@code expected}, then moves it to {@code next}. Accept steps pass
     * {@link Stage#FAILED} as {@code next} and set the real next stage only on success, so every
     * exception on the way (malformed input, failed proof) leaves the session failed.
     */
    private void advance(Stage expected, Stage next, String call) {
        if (stage != expected) {
            String why = stage == Stage.FAILED
                    ? "the pake session already failed"
                    : "expected to follow " + expected.after + " but the last step was " + stage.after;
            throw new IllegalStateException("pake " + call + " called out of order: " + why);
        }
        stage = next;
    }

    // --- encoding --------------------------------------------------------------------------------

    private Map<String, String> header(int round) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("round", Integer.toString(round));
        m.put("participant", role.participantId());
        return m;
    }

    private void checkHeader(Map<String, String> message, int round) throws RtcatException {
        if (message == null) {
            throw malformed("no round " + round + " message");
        }
        String r = field(message, "round");
        if (!r.equals(Integer.toString(round))) {
            throw malformed("expected round " + round + " but got round '" + printable(r) + "'");
        }
        String who = field(message, "participant");
        String expected = role.peer().participantId();
        if (!who.equals(expected)) {
            String why = who.equals(role.participantId()) ? " (both sides have the same role)" : "";
            throw malformed("expected participant '" + expected + "' but got '" + printable(who) + "'" + why);
        }
    }

    private static String field(Map<String, String> message, String name) throws RtcatException {
        Object value = message.get(name);
        if (value == null) {
            throw malformed("missing field '" + name + "'");
        }
        if (!(value instanceof String s)) {
            throw malformed("field '" + name + "' is not a string");
        }
        return s;
    }

    private static BigInteger number(Map<String, String> message, String name) throws RtcatException {
        String s = field(message, name);
        if (s.isEmpty() || s.length() > MAX_HEX || !HEX.matcher(s).matches()) {
            throw malformed("field '" + name + "' must be 1 to " + MAX_HEX + " lowercase hex digits");
        }
        return new BigInteger(s, 16);
    }

    /** A group element: 0 &lt; v &lt; p. */
    private static BigInteger element(Map<String, String> message, String name) throws RtcatException {
        BigInteger v = number(message, name);
        if (v.signum() <= 0 || v.compareTo(GROUP.getP()) >= 0) {
            throw malformed("field '" + name + "' is out of range");
        }
        return v;
    }

    /** A Schnorr proof {g^v, r} with 0 &lt; g^v &lt; p and 0 &le; r &lt; q. */
    private static BigInteger[] proof(Map<String, String> message, String prefix) throws RtcatException {
        BigInteger gv = element(message, prefix + "gv");
        BigInteger r = number(message, prefix + "r");
        if (r.compareTo(GROUP.getQ()) >= 0) {
            throw malformed("field '" + prefix + "r' is out of range");
        }
        return new BigInteger[] {gv, r};
    }

    private static void putProof(Map<String, String> m, String prefix, BigInteger[] proof) {
        if (proof.length != 2) {
            throw new IllegalStateException("unexpected zero-knowledge proof shape: " + proof.length + " values");
        }
        m.put(prefix + "gv", hex(proof[0]));
        m.put(prefix + "r", hex(proof[1]));
    }

    private static String hex(BigInteger v) {
        if (v.signum() < 0) {
            throw new IllegalStateException("unexpected negative pake value");
        }
        return v.toString(16);
    }

    /**
     * BouncyCastle holds the MAC tag as a signed BigInteger of the 32 MAC bytes; write exactly those
     * bytes (sign-extending the minimal two's-complement form) so the value round-trips.
     */
    private static String macHex(BigInteger macTag) {
        byte[] minimal = macTag.toByteArray();
        if (minimal.length > MAC_BYTES) {
            throw new IllegalStateException("unexpected pake mac length " + minimal.length);
        }
        byte[] out = new byte[MAC_BYTES];
        byte fill = (byte) (macTag.signum() < 0 ? 0xff : 0x00);
        int pad = MAC_BYTES - minimal.length;
        Arrays.fill(out, 0, pad, fill);
        System.arraycopy(minimal, 0, out, pad, minimal.length);
        return HexFormat.of().formatHex(out);
    }

    /** v (non-negative) as exactly {@code len} unsigned big-endian bytes. */
    private static byte[] fixedLength(BigInteger v, int len) {
        byte[] minimal = v.toByteArray();
        int start = minimal.length > 1 && minimal[0] == 0 ? 1 : 0;
        int n = minimal.length - start;
        if (v.signum() < 0 || n > len) {
            throw new IllegalStateException("pake keying material out of range");
        }
        byte[] out = new byte[len];
        System.arraycopy(minimal, start, out, len - n, n);
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("sha-256 is not available", e);
        }
    }

    // --- errors ----------------------------------------------------------------------------------

    private static RtcatException malformed(String detail) {
        return new RtcatException(RtcatException.Kind.PROTOCOL, MALFORMED + detail);
    }

    private static RtcatException rejected(int round, Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int dot = why.indexOf('.');
        if (dot > 0) {
            why = why.substring(0, dot);
        }
        return new RtcatException(RtcatException.Kind.PROTOCOL,
                MALFORMED + "round " + round + " rejected: " + printable(why.toLowerCase(Locale.ROOT)), null, e);
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (b.length() < s.length()) {
            b.append('…');
        }
        return b.toString();
    }
}
