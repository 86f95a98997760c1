package io.rtcat.diagnostics;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a probe with {@code --expect} fails. Kinds are listed in precedence order: when several apply, the
 * exit code (cli's ExitCode) is the first one's (a credential problem is the most specific thing to fix, a
 * timeout the least).
 */
public record ProbeFailure(Kind kind, String message, String hint) {

    public enum Kind {
        /** A TURN server rejected the credentials (401, 441). */
        TURN_AUTH_FAILED,
        /** A TURN server gave no relay candidate and no credential error (unreachable, refused, no answer). */
        TURN_UNREACHABLE,
        /** A STUN server gave no server-reflexive address (unreachable or no answer). */
        STUN_UNREACHABLE,
        /** An --expect candidate type was not gathered although every server answered. */
        MISSING_TYPE,
        /** Gathering did not complete within --timeout although nothing else failed. */
        TIMED_OUT;

        /** For JSON: {@code turn_auth_failed}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The failure that decides the exit code, by {@link Kind} order; empty when there is none. */
    public static Optional<ProbeFailure> first(List<ProbeFailure> failures) {
        return failures.stream().min(Comparator.comparingInt(f -> f.kind().ordinal()));
    }
}
