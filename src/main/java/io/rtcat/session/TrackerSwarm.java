package io.rtcat.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The ids rtcat shows WebTorrent trackers. The swarm id ({@code info_hash}) comes from the code's public nameplate
 * only, never from its secret words: a tracker (a stranger's machine) sees every announce, and an id derived from
 * the words would let it try all 65,536 word pairs offline and then pass the PAKE at the first attempt.
 * Ids are URL-safe Base64 of 15 bytes: 20 ASCII characters, which the protocol's 20-"byte" strings carry intact.
 */
final class TrackerSwarm {

    /** Domain separation: the same nameplate means a different swarm id than any other use of the number. */
    static final String LABEL = "rtcat-tracker-rendezvous-v1";

    private static final int ID_BYTES = 15;

    private TrackerSwarm() {
    }

    /** The swarm both sides of code {@code nameplate-words...} announce in. */
    static String infoHash(String nameplate) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(LABEL.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(nameplate.strip().getBytes(StandardCharsets.UTF_8));
            return encode(Arrays.copyOf(sha.digest(), ID_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("sha-256 is not available", e);
        }
    }

    /** A fresh random id (peer_id, offer_id). */
    static String randomId(SecureRandom random) {
        byte[] b = new byte[ID_BYTES];
        random.nextBytes(b);
        return encode(b);
    }

    private static String encode(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
