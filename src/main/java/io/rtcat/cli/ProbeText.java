package io.rtcat.cli;

import io.rtcat.diagnostics.Gathering;
import io.rtcat.diagnostics.ProbeCandidate;
import io.rtcat.diagnostics.ProbeFailure;
import io.rtcat.diagnostics.ProbeReport;
import io.rtcat.diagnostics.ServerError;
import io.rtcat.diagnostics.ServerResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The human-readable report of {@code rtcat probe}: one block per gathering, then mapping and verdict. */
final class ProbeText {

    private ProbeText() {
    }

    static void print(PrintWriter out, ProbeReport r) {
        Gathering h = r.host();
        out.printf(Locale.ROOT, "Host candidates     first %s, complete %s%n",
                h.firstCandidateMillis() == null ? "none" : h.firstCandidateMillis() + " ms",
                ms(h.completeMillis()));
        candidates(out, h.candidates());
        for (ServerResult s : r.servers()) {
            out.println();
            out.printf(Locale.ROOT, "%s%n", s.server());
            out.printf(Locale.ROOT, "  %-8s %s%n", s.status().answered() ? "ok" : "FAILED", s.summary());
            out.printf(Locale.ROOT, "  first %s %s, complete %s%n", s.server().isTurn() ? "relay" : "srflx",
                    s.firstCandidateMillis() == null ? "none" : s.firstCandidateMillis() + " ms",
                    ms(s.completeMillis()));
            candidates(out, s.candidates());
            for (ServerError e : s.errors()) {
                out.printf(Locale.ROOT, "  error %d after %d ms: %s%n", e.code(), e.elapsedMillis(), e.sentence());
                out.printf(Locale.ROOT, "    hint: %s%n", e.hint());
            }
        }
        out.println();
        out.printf(Locale.ROOT, "NAT mapping:  %s%n", r.mapping().description());
        out.printf(Locale.ROOT, "Types found:  %s%n", r.typesFound().isEmpty() ? "none" : String.join(",",
                r.typesFound()));
        if (!r.expect().isEmpty()) {
            if (r.failures().isEmpty()) {
                out.printf(Locale.ROOT, "Expect %s: ok%n", String.join(",", r.expect()));
            } else {
                out.printf(Locale.ROOT, "Expect %s: FAILED (exit %d)%n", String.join(",", r.expect()),
                        ExitCode.ofProbe(r.failures()));
                for (ProbeFailure f : r.failures()) {
                    out.printf(Locale.ROOT, "  [%d] %s%n", ExitCode.of(f.kind()), f.message());
                    if (f.hint() != null) {
                        out.printf(Locale.ROOT, "       hint: %s%n", f.hint());
                    }
                }
            }
        }
        out.flush();
    }

    private static void candidates(PrintWriter out, List<ProbeCandidate> list) {
        for (ProbeCandidate c : list) {
            String related = c.relatedEndpoint() == null ? "" : "raddr " + c.relatedEndpoint();
            out.printf(Locale.ROOT, "  %-5s %-3s %-22s %-24s prio %-10d %5d ms%s%n", c.type(), c.protocol(),
                    c.endpoint(), related, c.priority(), c.elapsedMillis(),
                    c.serverUrl() == null ? "" : "  via " + c.serverUrl());
        }
    }

    private static String ms(Long v) {
        return v == null ? "not within the timeout" : v + " ms";
    }
}
