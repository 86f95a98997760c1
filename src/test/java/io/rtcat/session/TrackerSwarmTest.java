package io.rtcat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.session.pake.CodePhrase;
import io.rtcat.signaling.TrackerMessages;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class TrackerSwarmTest {

    @Test
    void theSwarmIdDependsOnTheNameplateOnlyNeverOnTheSecretWords() throws Exception {
        CodePhrase a = CodePhrase.parse("7-crossbow-orbit");
        CodePhrase b = CodePhrase.parse("7-apple-zebra");
        assertNotEquals(a.secret(), b.secret());
        assertEquals(TrackerSwarm.infoHash(a.nameplate()), TrackerSwarm.infoHash(b.nameplate()));
        assertNotEquals(TrackerSwarm.infoHash("7"), TrackerSwarm.infoHash("8"));
    }

    @Test
    void theSwarmIdIsDomainSeparatedAndStable() {
        // Not a bare hash of the number: SHA-256("7") would be shared with every other use of that number.
        assertEquals("_o-_jmJeDvjvRi5KVVzj", TrackerSwarm.infoHash("7"));
        assertEquals(TrackerSwarm.infoHash("7"), TrackerSwarm.infoHash(" 7 "));
    }

    @Test
    void idsAreTwentyUrlSafeCharactersAsTheProtocolWants() {
        assertTrue(TrackerMessages.isId(TrackerSwarm.infoHash("123456")));
        SecureRandom random = new SecureRandom();
        String one = TrackerSwarm.randomId(random);
        assertTrue(TrackerMessages.isId(one), one);
        assertNotEquals(one, TrackerSwarm.randomId(random));
    }
}
