package io.rtcat.diagnostics;

import java.util.List;
import java.util.Set;

/**
 * Everything {@code rtcat probe} found.
 *
 * @param host       the gathering without servers: this machine's host candidates
 * @param servers    one result per --ice server, in command-line order
 * @param typesFound candidate types seen in any gathering (plus srflx when a STUN server reports no NAT)
 * @param expect     the --expect types, empty without --expect
 * @param failures   every reason --expect fails, empty without --expect
 */
public record ProbeReport(int timeoutSeconds, Gathering host, List<ServerResult> servers, NatMapping mapping,
        Set<String> typesFound, List<String> expect, List<ProbeFailure> failures) {

    /** Bump when a JSON field changes meaning or disappears (adding fields keeps the version). */
    public static final int SCHEMA_VERSION = 1;

    /** No --expect, or every expectation met. */
    public boolean ok() {
        return failures.isEmpty();
    }
}
