package io.rtcat.diagnostics;

/**
 * An ICE candidate error from a STUN or TURN server, translated for people.
 *
 * @param url      the server URL libwebrtc reported
 * @param code     STUN error code: 401 unauthorized, 701 unreachable (libwebrtc's own code), ...
 * @param text     libwebrtc's error text
 * @param sentence one plain sentence saying what went wrong
 * @param hint     what to try next
 * @param failure  the --expect failure this error stands for
 */
public record ServerError(String url, int code, String text, long elapsedMillis, String sentence, String hint,
        ProbeFailure.Kind failure) {
}
