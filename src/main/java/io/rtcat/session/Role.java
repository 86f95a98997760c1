package io.rtcat.session;

/** Who offers. The offerer creates the data channel; the answerer waits for it. */
public enum Role {
    OFFERER,
    ANSWERER
}
