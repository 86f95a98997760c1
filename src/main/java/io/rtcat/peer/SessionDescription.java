package io.rtcat.peer;

/** An SDP offer or answer, as browsers put it in JSON: {@code {"type":"offer","sdp":"v=0..."}}. */
public record SessionDescription(String type, String sdp) {
}
