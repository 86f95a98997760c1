package io.rtcat.stats;

/**
 * One end of the selected candidate pair.
 *
 * @param type          host, srflx, prflx or relay
 * @param protocol      udp or tcp (between the peers, or to the TURN server for relay)
 * @param relayProtocol for relay candidates, how the client reached the TURN server (udp, tcp, tls)
 */
public record CandidateInfo(String type, String protocol, String address, Integer port, String relayProtocol,
        String url) {

    /** e.g. {@code host udp 10.99.0.1:50123}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(type == null ? "?" : type).append(' ')
                .append(protocol == null ? "?" : protocol).append(' ');
        sb.append(address == null ? "(hidden)" : address.contains(":") ? "[" + address + "]" : address);
        if (port != null) {
            sb.append(':').append(port);
        }
        if (relayProtocol != null) {
            sb.append(" via TURN/").append(relayProtocol);
        }
        return sb.toString();
    }
}
