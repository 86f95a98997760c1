package io.rtcat.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rtcat.errors.RtcatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Property-based fuzzing of what a client or a stranger sends the signaling server (see ProtocolFuzzTest). */
class SignalingFuzzTest {

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\"type\"", "\"join\"", "\"offer\"", "\"room\"",
                "\"userId\"", "\"target\"", "\"sender\"", "\"sdp\"", "\"candidate\"", "\"iceServers\"", "\"urls\"",
                "1", "-1", "1e999", "null", "true", "\"\\u0000\"", "\"\\ud800\"", " ").list().ofMaxSize(40)
                .map(l -> String.join("", l));
    }

    @Property
    void signalMessagesEitherParseOrAreRefusedCleanly(@ForAll("jsonish") String text) {
        parseCleanly(text);
    }

    @Property
    void anyTextEitherParsesOrIsRefusedCleanly(@ForAll String text) {
        parseCleanly(text);
    }

    private static void parseCleanly(String text) {
        try {
            SignalMessage m = SignalMessage.parse(text);
            m.type();
            m.sender();
            m.toJson();
        } catch (RtcatException refused) {
            assertEquals(RtcatException.Kind.PROTOCOL, refused.kind(), refused.getMessage());
        }
    }

    /** The page server looks for the end of the request head as bytes come; any split finds the same end. */
    @Property
    void theHeaderEndIsFoundTheSameHoweverTheBytesArrive(@ForAll("heads") byte[] head,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 64) Integer> chunks) {
        int whole = PageServingFactory.Connection.headerEnd(head);
        int found = -1;
        int from = 0;
        int at = 0;
        for (int i = 0; found < 0 && at < head.length; i++) {
            int n = i < chunks.size() ? Math.min(chunks.get(i), head.length - at) : head.length - at;
            at += n;
            found = PageServingFactory.Connection.headerEnd(head, Math.max(3, from), at);
            from = at;
        }
        assertEquals(whole, found, () -> Arrays.toString(head));
    }

    @Provide
    Arbitrary<byte[]> heads() {
        return Arbitraries.of("GET / HTTP/1.1", "\r", "\n", "\r\n", "Upgrade: websocket", "Host: x", ":", " ", "a")
                .list().ofMaxSize(20).map(l -> String.join("", l).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Property
    void upgradeDetectionNeverFails(@ForAll String header) {
        PageServingFactory.Connection.isUpgrade(header);
    }
}
