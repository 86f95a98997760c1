package io.rtcat.session.pake;

import io.rtcat.errors.RtcatException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Binds the DTLS certificates of a WebRTC connection to the PAKE session key, so that a signaling
 * server which rewrites the {@code a=fingerprint} lines of the SDP (to put itself in the middle of
 * the DTLS connection) is detected.
 *
 * <p>Protocol: after the PAKE ({@link PakeSession}) both sides hold the same key {@code K}, which the
 * signaling server does not know. Once the offer and answer have been applied, each side sends
 * {@code mac(K, ownRole, offerSdpItApplied, answerSdpItApplied)} (for instance over the data channel
 * or through signaling) and checks the peer's value with {@code verify(K, peerRole, offerSdpItApplied,
 * answerSdpItApplied, peerMac)}. DTLS itself enforces that each certificate matches the fingerprint in
 * the SDP that side applied; if the server changed a fingerprint on its way, the two sides applied
 * different fingerprints, the MACs differ and verification fails. Only fingerprints are covered, so
 * harmless differences elsewhere in the SDP (trickled candidates, reordered attributes) do not matter.
 * The role is in the MAC so a side's own value reflected back to it does not verify.
 *
 * <p>Encoding (unambiguous, version-labelled): every string is written as a 4-byte big-endian byte
 * length followed by its UTF-8 bytes, and each list as a 4-byte count followed by its strings:
 * {@code str("rtcat-fingerprint-binding-v1") str(role) list(fingerprints(offer)) list(fingerprints(answer))}.
 * The MAC is HMAC-SHA256 of that, as 64 lowercase hex digits.
 */
public final class FingerprintBinding {

    /** Domain-separation label, first field of the MAC input. */
    public static final String LABEL = "rtcat-fingerprint-binding-v1";

    /** Smallest accepted key length, in bytes (the PAKE session key has 32). */
    public static final int MIN_KEY_BYTES = 16;

    private static final String ATTRIBUTE = "a=fingerprint:";
    private static final Pattern VALUE =
            Pattern.compile("([A-Za-z0-9][A-Za-z0-9-]*)[ \\t]+([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)");
    private static final Pattern LINE_BREAK = Pattern.compile("\\r\\n|\\r|\\n");
    private static final int MAC_BYTES = 32;

    private FingerprintBinding() {
    }

    /**
     * All {@code a=fingerprint:} values of an SDP, session- and media-level, in order of appearance,
     * normalised to {@code "sha-256 AB:CD:..."}: lowercase hash name, one space, uppercase hex.
     *
     * @throws RtcatException {@link RtcatException.Kind#PROTOCOL} if there is no fingerprint, or one is malformed
     */
    public static List<String> fingerprints(String sdp) throws RtcatException {
        List<String> found = new ArrayList<>();
        if (sdp != null) {
            for (String line : LINE_BREAK.split(sdp)) {
                String trimmed = line.strip();
                if (!trimmed.regionMatches(true, 0, ATTRIBUTE, 0, ATTRIBUTE.length())) {
                    continue;
                }
                Matcher m = VALUE.matcher(trimmed.substring(ATTRIBUTE.length()).strip());
                if (!m.matches()) {
                    throw new RtcatException(RtcatException.Kind.PROTOCOL,
                            "the peer's session description has a malformed DTLS fingerprint");
                }
                found.add(m.group(1).toLowerCase(Locale.ROOT) + " " + m.group(2).toUpperCase(Locale.ROOT));
            }
        }
        if (found.isEmpty()) {
            throw new RtcatException(RtcatException.Kind.PROTOCOL,
                    "the peer's session description has no DTLS fingerprint");
        }
        return List.copyOf(found);
    }

    /**
     * HMAC-SHA256, keyed with {@code key}, over the role and the fingerprints of both SDPs (see the
     * class comment for the encoding); 64 lowercase hex digits.
     *
     * @param key the PAKE session key ({@link PakeSession#sessionKey()}), at least {@value #MIN_KEY_BYTES} bytes
     * @param role the role of the side computing the MAC, e.g. {@code "rtcat-sender"}
     * @throws RtcatException {@link RtcatException.Kind#PROTOCOL} if either SDP lacks a fingerprint
     */
    public static String mac(byte[] key, String role, String offerSdp, String answerSdp) throws RtcatException {
        return HexFormat.of().formatHex(macBytes(key, role, offerSdp, answerSdp));
    }

    /**
     * Whether {@code macHex} is the MAC that the side with role {@code role} computed over these SDPs.
     * Compared in constant time; a malformed {@code macHex} is simply false.
     *
     * @throws RtcatException {@link RtcatException.Kind#PROTOCOL} if either SDP lacks a fingerprint
     */
    public static boolean verify(byte[] key, String role, String offerSdp, String answerSdp, String macHex)
            throws RtcatException {
        byte[] expected = macBytes(key, role, offerSdp, answerSdp);
        if (macHex == null || macHex.length() != MAC_BYTES * 2) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(macHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    private static byte[] macBytes(byte[] key, String role, String offerSdp, String answerSdp)
            throws RtcatException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(role, "role");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("fingerprint binding key must be at least " + MIN_KEY_BYTES + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeString(out, LABEL);
        writeString(out, role);
        writeList(out, fingerprints(offerSdp));
        writeList(out, fingerprints(answerSdp));
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            return hmac.doFinal(out.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("hmac-sha256 is not available", e);
        }
    }

    private static void writeList(ByteArrayOutputStream out, List<String> items) {
        writeInt(out, items.size());
        for (String item : items) {
            writeString(out, item);
        }
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeInt(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
