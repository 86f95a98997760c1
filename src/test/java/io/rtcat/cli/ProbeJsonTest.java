package io.rtcat.cli;

import static io.rtcat.diagnostics.ProbeFixtures.done;
import static io.rtcat.diagnostics.ProbeFixtures.host;
import static io.rtcat.diagnostics.ProbeFixtures.srflx;
import static io.rtcat.diagnostics.ProbeFixtures.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.diagnostics.Gathering;
import io.rtcat.diagnostics.ProbeAnalysis;
import io.rtcat.diagnostics.ProbeReport;
import io.rtcat.peer.IceServerUrl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProbeJsonTest {

    static ProbeReport sample() {
        IceServerUrl stun = url("stun:203.0.113.2:3478");
        IceServerUrl turn = url("turn:user:pass@203.0.113.2:3478");
        return ProbeAnalysis.analyze(List.of(stun, turn), 10, List.of("host", "relay"), done(List.of(host())),
                done(List.of(srflx("203.0.113.10", 61000, 40000, "stun:203.0.113.2:3478"))),
                Map.of(turn, done(List.of(), new Gathering.RawError("turn:203.0.113.2:3478?transport=udp", 401,
                        "Unauthorized", 139))));
    }

    @Test
    void documentHasTheDocumentedFields() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(ProbeJson.toJson(sample()).toString());
        assertEquals(1, doc.get("schema_version").asInt());
        assertEquals(10, doc.get("timeout_seconds").asInt());
        assertEquals(Set.of("schema_version", "timeout_seconds", "host", "servers", "mapping", "candidate_types",
                "expect", "failures", "ok", "exit_code"), fields(doc));
        assertEquals(15, doc.at("/host/first_candidate_ms").asLong());
        assertEquals(110, doc.at("/host/complete_ms").asLong());
        JsonNode hostCand = doc.at("/host/candidates/0");
        assertEquals(Set.of("type", "protocol", "address", "port", "priority", "related_address", "related_port",
                "server_url", "elapsed_ms"), fields(hostCand));
        assertTrue(hostCand.get("related_address").isNull());

        JsonNode stun = doc.at("/servers/0");
        assertEquals("stun", stun.get("kind").asText());
        assertEquals("ok", stun.get("status").asText());
        assertEquals("192.168.1.10", stun.at("/candidates/0/related_address").asText());
        assertEquals(40000, stun.at("/candidates/0/related_port").asInt());
        assertEquals(1686052607L, stun.at("/candidates/0/priority").asLong());

        JsonNode turn = doc.at("/servers/1");
        assertEquals("turn", turn.get("kind").asText());
        assertEquals("udp", turn.get("transport").asText());
        assertEquals("user", turn.get("username").asText());
        assertFalse(doc.toString().contains("\"pass\""), "the password must never be printed");
        assertEquals("auth_failed", turn.get("status").asText());
        assertEquals(401, turn.at("/errors/0/code").asInt());
        assertTrue(turn.at("/errors/0/message").asText().contains("rejected the credentials"));
        assertTrue(turn.at("/errors/0/first_candidate_ms").isMissingNode());
        assertTrue(turn.get("first_candidate_ms").isNull());

        assertEquals("unknown", doc.at("/mapping/result").asText());
        assertEquals("turn_auth_failed", doc.at("/failures/0/kind").asText());
        assertEquals(81, doc.at("/failures/0/exit_code").asInt());
        assertFalse(doc.get("ok").asBoolean());
        assertEquals(81, doc.get("exit_code").asInt());
    }

    @Test
    void textReportShowsCandidatesErrorsAndVerdict() {
        StringWriter s = new StringWriter();
        ProbeText.print(new PrintWriter(s), sample());
        String text = s.toString();
        assertTrue(text.contains("srflx udp 203.0.113.10:61000"), text);
        assertTrue(text.contains("raddr 192.168.1.10:40000"), text);
        assertTrue(text.contains("error 401 after 139 ms"), text);
        assertTrue(text.contains("Expect host,relay: FAILED (exit 81)"), text);
    }

    private static Set<String> fields(JsonNode n) {
        Set<String> names = new java.util.TreeSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
