package io.rtcat.diagnostics;

import io.rtcat.peer.IceServerUrl;
import java.util.List;
import java.util.Locale;

/**
 * What one STUN or TURN server did during the probe.
 *
 * @param candidates           the candidates attributed to this server
 * @param firstCandidateMillis time to this server's first srflx (STUN) or relay (TURN) candidate, or null
 * @param completeMillis       when its gathering completed, or null if not within the timeout
 */
public record ServerResult(IceServerUrl server, Status status, String summary, List<ProbeCandidate> candidates,
        List<ServerError> errors, Long firstCandidateMillis, Long completeMillis) {

    public enum Status {
        /** STUN: a server-reflexive address; TURN: a relay candidate. */
        OK,
        /** STUN: the server saw this host's own address (libwebrtc then drops the duplicate srflx). */
        NO_NAT,
        /** STUN: answered with the same mapped address as another STUN server (libwebrtc keeps one). */
        SAME_MAPPING,
        /** TURN: credentials rejected. */
        AUTH_FAILED,
        /** An error (701 and others) and no candidate. */
        UNREACHABLE,
        /** Nothing at all within the timeout. */
        NO_ANSWER;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The server did its job. */
        public boolean answered() {
            return this == OK || this == NO_NAT || this == SAME_MAPPING;
        }
    }

    public ServerResult {
        candidates = List.copyOf(candidates);
        errors = List.copyOf(errors);
    }
}
