package io.rtcat.signaling;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Join tokens signed by the server's secret: {@code v1.ROOM.EXPIRY.MAC}, where ROOM is the room name in base64url,
 * EXPIRY the Unix second after which the token is refused, and MAC the base64url HMAC-SHA256 of
 * {@code v1.ROOM.EXPIRY} under the secret. A token admits its holder to that one room until it expires; whoever
 * holds the secret file ({@code rtcat token}) mints them, and the server keeps no list of issued tokens.
 */
public final class JoinTokens {

    /** Below 32 random bytes an HMAC key is guessable in principle; `rtcat token --new-secret` writes 32. */
    public static final int MIN_SECRET_BYTES = 32;
    private static final String VERSION = "v1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** What a token grants, once its signature checked out. */
    public record Grant(String room, long expiresEpochSecond) {
    }

    /** Why a token was refused, for the error the client sees and the metrics. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private JoinTokens() {
    }

    public static String mint(byte[] secret, String room, Instant expires) {
        String body = VERSION + "." + B64.encodeToString(room.getBytes(StandardCharsets.UTF_8)) + "."
                + expires.getEpochSecond();
        return body + "." + B64.encodeToString(mac(secret, body));
    }

    /** Checks the signature (in constant time) and the expiry; does not look at the room. */
    public static Grant verify(byte[] secret, String token, Instant now) throws Refused {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals(VERSION)) {
            throw new Refused("malformed join token");
        }
        String body = parts[0] + "." + parts[1] + "." + parts[2];
        byte[] given;
        try {
            given = B64D.decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new Refused("malformed join token");
        }
        if (!MessageDigest.isEqual(mac(secret, body), given)) {
            throw new Refused("join token not signed by this server");
        }
        long expires;
        String room;
        try {
            expires = Long.parseLong(parts[2]);
            room = new String(B64D.decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refused("malformed join token");
        }
        if (now.getEpochSecond() > expires) {
            throw new Refused("join token expired at " + Instant.ofEpochSecond(expires));
        }
        return new Grant(room, expires);
    }

    private static byte[] mac(byte[] secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }
}
