package io.rtcat.diagnostics;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.IceServerUrl;
import java.util.List;

/** Synthetic candidates and gatherings, shaped like what libwebrtc M139 reported in ProbeIT. */
public final class ProbeFixtures {

    public static final String HOST_LINE = "candidate:1 1 udp 2122260223 192.168.1.10 40000 typ host generation 0";

    private ProbeFixtures() {
    }

    public static IceServerUrl url(String text) {
        try {
            return IceServerUrl.parse(text, null, null);
        } catch (RtcatException e) {
            throw new AssertionError(e);
        }
    }

    public static ProbeCandidate host() {
        return ProbeCandidate.parse(HOST_LINE, null, 15);
    }

    public static ProbeCandidate srflx(String mapped, int port, int localPort, String server) {
        return ProbeCandidate.parse("candidate:2 1 udp 1686052607 " + mapped + " " + port + " typ srflx raddr "
                + "192.168.1.10 rport " + localPort + " generation 0", server, 30);
    }

    public static ProbeCandidate relay(String address, int port, String server) {
        return ProbeCandidate.parse("candidate:3 1 udp 41885695 " + address + " " + port + " typ relay raddr "
                + "203.0.113.10 rport 61000 generation 0", server, 62);
    }

    public static Gathering done(List<ProbeCandidate> candidates, Gathering.RawError... errors) {
        return new Gathering(candidates, List.of(errors), 110L);
    }

    public static Gathering unfinished(List<ProbeCandidate> candidates, Gathering.RawError... errors) {
        return new Gathering(candidates, List.of(errors), null);
    }
}
