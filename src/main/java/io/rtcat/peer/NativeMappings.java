package io.rtcat.peer;

import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.TlsCertPolicy;
import io.rtcat.errors.RtcatException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Translations between rtcat's values and webrtc-java's: configuration, SDP types, SDP filtering. */
final class NativeMappings {

    private NativeMappings() {
    }

    static RTCConfiguration rtcConfiguration(PeerConfig config) {
        RTCConfiguration rtc = new RTCConfiguration();
        for (IceServerUrl url : config.iceServers()) {
            RTCIceServer server = new RTCIceServer();
            server.urls = List.of(url.url());
            server.username = url.username();
            server.password = url.password();
            // turns: is checked like any TLS (before: never, so anyone on the path could pose as the TURN server
            // and see who talks to whom). A private server with a self-signed certificate: use turn: instead,
            // which loses nothing for the data (DTLS-encrypted end to end either way).
            server.tlsCertPolicy = TlsCertPolicy.SECURE;
            rtc.iceServers.add(server);
        }
        rtc.iceTransportPolicy = config.relayOnly() ? RTCIceTransportPolicy.RELAY : RTCIceTransportPolicy.ALL;
        PortAllocatorConfig ports = new PortAllocatorConfig();
        ports.setDisableTcp(true);
        if (config.minPort() != 0) {
            ports.minPort = config.minPort();
            ports.maxPort = config.maxPort();
        }
        rtc.portAllocatorConfig = ports;
        return rtc;
    }

    /** Drops IPv6 candidate lines unless IPv6 is on (libwebrtc ignores setEnableIpv6(false)). */
    static String filterSdp(String sdp, boolean ipv6) {
        if (ipv6) {
            return sdp;
        }
        return sdp.lines()
                .filter(line -> !(line.startsWith("a=candidate:") && isIpv6(new IceCandidate(line, null, null))))
                .collect(Collectors.joining("\r\n", "", "\r\n"));
    }

    static boolean isIpv6(IceCandidate c) {
        return c.address().contains(":");
    }

    static RTCSdpType sdpType(String type) throws RtcatException {
        switch (type == null ? "" : type.toLowerCase(Locale.ROOT)) {
            case "offer":
                return RTCSdpType.OFFER;
            case "answer":
                return RTCSdpType.ANSWER;
            case "pranswer":
                return RTCSdpType.PR_ANSWER;
            case "rollback":
                return RTCSdpType.ROLLBACK;
            default:
                throw new RtcatException(RtcatException.Kind.PROTOCOL, "unknown session description type '"
                        + type + "'");
        }
    }

    static String typeName(RTCSdpType type) {
        switch (type) {
            case OFFER:
                return "offer";
            case ANSWER:
                return "answer";
            case PR_ANSWER:
                return "pranswer";
            default:
                return "rollback";
        }
    }
}
