package io.rtcat.peer;

import java.util.Locale;

/** A peer connection's state, as the W3C names it (the progress lines print it lower case). */
public enum ConnectionState {
    NEW, CONNECTING, CONNECTED, DISCONNECTED, FAILED, CLOSED;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
