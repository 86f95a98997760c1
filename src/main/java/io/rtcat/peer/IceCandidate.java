package io.rtcat.peer;

/**
 * One ICE candidate in browser JSON shape. {@code candidate} is the {@code candidate:...} line without
 * {@code a=}; an empty or null candidate means end-of-candidates.
 */
public record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex) {

    public boolean isEndOfCandidates() {
        return candidate == null || candidate.isBlank();
    }

    /** The candidate type (host, srflx, prflx, relay), or "unknown". */
    public String type() {
        String[] f = fields();
        for (int i = 0; i + 1 < f.length; i++) {
            if (f[i].equals("typ")) {
                return f[i + 1];
            }
        }
        return "unknown";
    }

    /** The transport protocol (udp, tcp), or "unknown". */
    public String protocol() {
        String[] f = fields();
        return f.length > 2 ? f[2].toLowerCase(java.util.Locale.ROOT) : "unknown";
    }

    /** The connection address, or "" when the line is malformed. */
    public String address() {
        String[] f = fields();
        return f.length > 4 ? f[4] : "";
    }

    /** The ICE username fragment, rebuilt from the {@code ufrag} token, or null. */
    public String usernameFragment() {
        String[] f = fields();
        for (int i = 0; i + 1 < f.length; i++) {
            if (f[i].equals("ufrag")) {
                return f[i + 1];
            }
        }
        return null;
    }

    private String[] fields() {
        if (isEndOfCandidates()) {
            return new String[0];
        }
        String line = candidate.startsWith("a=") ? candidate.substring(2) : candidate;
        return line.trim().split("\\s+");
    }
}
