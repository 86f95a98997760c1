package io.rtcat.diagnostics;

import java.util.List;

/**
 * What one candidate gathering recorded, in milliseconds since it started.
 *
 * @param completeMillis when gathering reported COMPLETE, or null if it had not within the timeout
 */
public record Gathering(List<ProbeCandidate> candidates, List<RawError> errors, Long completeMillis) {

    /** An {@code icecandidateerror} as libwebrtc reported it. */
    public record RawError(String url, int code, String text, long elapsedMillis) {
    }

    public Gathering {
        candidates = List.copyOf(candidates);
        errors = List.copyOf(errors);
    }

    public boolean complete() {
        return completeMillis != null;
    }

    /** Time to the first candidate of any type, or null. */
    public Long firstCandidateMillis() {
        return candidates.stream().map(ProbeCandidate::elapsedMillis).min(Long::compare).orElse(null);
    }
}
