package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.diagnostics.ProbeCandidate;
import io.rtcat.diagnostics.ProbeFailure;
import io.rtcat.diagnostics.ProbeReport;
import io.rtcat.diagnostics.ServerError;
import io.rtcat.diagnostics.ServerResult;
import io.rtcat.json.Mappers;
import java.util.List;

/** The --json document of {@code rtcat probe} (see the README, "Diagnostics: rtcat probe"). */
final class ProbeJson {

    private ProbeJson() {
    }

    static ObjectNode toJson(ProbeReport r) {
        ObjectNode root = Mappers.JSON.createObjectNode();
        root.put("schema_version", ProbeReport.SCHEMA_VERSION);
        root.put("timeout_seconds", r.timeoutSeconds());
        ObjectNode host = root.putObject("host");
        putMillis(host, "first_candidate_ms", r.host().firstCandidateMillis());
        putMillis(host, "complete_ms", r.host().completeMillis());
        host.set("candidates", candidates(r.host().candidates()));
        ArrayNode servers = root.putArray("servers");
        for (ServerResult s : r.servers()) {
            ObjectNode n = servers.addObject();
            n.put("url", s.server().url());
            n.put("kind", s.server().isTurn() ? "turn" : "stun");
            if (s.server().isTurn()) {
                n.put("transport", s.server().scheme().equals("turns") ? "tls"
                        : s.server().transport() == null ? "udp" : s.server().transport());
                n.put("username", s.server().username());
            }
            n.put("status", s.status().id());
            n.put("ok", s.status().answered());
            n.put("summary", s.summary());
            putMillis(n, "first_candidate_ms", s.firstCandidateMillis());
            putMillis(n, "complete_ms", s.completeMillis());
            n.set("candidates", candidates(s.candidates()));
            ArrayNode errors = n.putArray("errors");
            for (ServerError e : s.errors()) {
                ObjectNode en = errors.addObject();
                en.put("url", e.url());
                en.put("code", e.code());
                en.put("text", e.text());
                en.put("elapsed_ms", e.elapsedMillis());
                en.put("message", e.sentence());
                en.put("hint", e.hint());
            }
        }
        ObjectNode mapping = root.putObject("mapping");
        mapping.put("result", r.mapping().result().id());
        mapping.put("description", r.mapping().description());
        ArrayNode types = root.putArray("candidate_types");
        r.typesFound().forEach(types::add);
        ArrayNode expect = root.putArray("expect");
        r.expect().forEach(expect::add);
        ArrayNode failures = root.putArray("failures");
        for (ProbeFailure f : r.failures()) {
            ObjectNode fn = failures.addObject();
            fn.put("kind", f.kind().id());
            fn.put("exit_code", ExitCode.of(f.kind()));
            fn.put("message", f.message());
            fn.put("hint", f.hint());
        }
        root.put("ok", r.ok());
        root.put("exit_code", ExitCode.ofProbe(r.failures()));
        return root;
    }

    private static ArrayNode candidates(List<ProbeCandidate> list) {
        ArrayNode a = Mappers.JSON.createArrayNode();
        for (ProbeCandidate c : list) {
            ObjectNode n = a.addObject();
            n.put("type", c.type());
            n.put("protocol", c.protocol());
            n.put("address", c.address());
            n.put("port", c.port());
            n.put("priority", c.priority());
            n.put("related_address", c.relatedAddress());
            if (c.relatedPort() == null) {
                n.putNull("related_port");
            } else {
                n.put("related_port", c.relatedPort());
            }
            n.put("server_url", c.serverUrl());
            n.put("elapsed_ms", c.elapsedMillis());
        }
        return a;
    }

    private static void putMillis(ObjectNode n, String field, Long value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }
}
