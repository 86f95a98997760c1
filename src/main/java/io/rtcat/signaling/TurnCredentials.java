package io.rtcat.signaling;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials in coturn's REST API scheme ({@code use-auth-secret} /
 * {@code static-auth-secret}): username {@code EXPIRY:LABEL}, where EXPIRY is the Unix second after which
 * the TURN server refuses it, and credential {@code base64(HMAC-SHA1(secret, username))}. The TURN server
 * recomputes the HMAC from the shared secret, so nobody needs a TURN password and a leaked credential dies
 * on its own.
 *
 * @param secret the TURN server's static-auth-secret (its bytes as coturn reads them)
 * @param urls   {@code turn:}/{@code turns:} URLs handed out with the credentials, without credentials
 * @param ttl    how long a handed-out credential stays valid
 */
public record TurnCredentials(byte[] secret, List<String> urls, Duration ttl) {

    /** Longest label kept in a username; coturn limits usernames, and the label is only informative. */
    static final int MAX_LABEL = 64;

    /** One handed-out credential. */
    public record Issued(String username, String credential, long expiresEpochSecond) {
    }

    public TurnCredentials {
        Objects.requireNonNull(secret, "secret");
        if (secret.length == 0) {
            throw new IllegalArgumentException("TURN secret must not be empty");
        }
        secret = secret.clone();
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("TURN credentials need at least one turn: URL");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("TURN credential lifetime must be positive: " + ttl);
        }
    }

    /** A credential for {@code label} (e.g. the user id; reduced to letters, digits, '.', '_' and '-'). */
    public Issued issue(String label, Instant now) {
        long expires = now.plus(ttl).getEpochSecond();
        String username = expires + ":" + safeLabel(label);
        return new Issued(username, sign(secret, username), expires);
    }

    /**
     * The browser {@code RTCIceServer[]} shape: {@code [{"urls":[...],"username":U,"credential":C}]}, as
     * sent in the {@code joined} message's {@code iceServers} field.
     */
    public ArrayNode iceServersJson(String label, Instant now) {
        Issued issued = issue(label, now);
        ArrayNode servers = Json.array();
        ObjectNode server = servers.addObject();
        ArrayNode list = server.putArray("urls");
        urls.forEach(list::add);
        server.put("username", issued.username());
        server.put("credential", issued.credential());
        return servers;
    }

    /** {@code base64(HMAC-SHA1(secret, username))}, the coturn REST credential. */
    public static String sign(byte[] secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }

    /** What a TURN server checks: the signature matches and the username's expiry has not passed. */
    public static boolean accepts(byte[] secret, String username, String credential, Instant now) {
        int colon = username.indexOf(':');
        long expires;
        try {
            expires = Long.parseLong(colon < 0 ? username : username.substring(0, colon));
        } catch (NumberFormatException e) {
            return false;
        }
        boolean signed = MessageDigest.isEqual(sign(secret, username).getBytes(StandardCharsets.US_ASCII),
                credential.getBytes(StandardCharsets.US_ASCII));
        return signed && now.getEpochSecond() <= expires;
    }

    static String safeLabel(String label) {
        StringBuilder b = new StringBuilder();
        if (label != null) {
            label.codePoints().filter(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_'
                    || c == '-')).limit(MAX_LABEL).forEach(b::appendCodePoint);
        }
        return b.length() == 0 ? "rtcat" : b.toString();
    }

    /** The secret is never shown. */
    @Override
    public String toString() {
        return "TurnCredentials[urls=" + urls + ", ttl=" + ttl + "]";
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }
}
