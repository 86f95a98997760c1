package io.rtcat.diagnostics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;

/**
 * A NAT's mapping and filtering behaviour (RFC 5780 sections 4.3 and 4.4), measured against one STUN server
 * that has an alternate address (OTHER-ADDRESS; coturn has one when given two). Mapping decides whether the
 * address a peer learns from STUN is the one its packets will meet; filtering decides whether packets from a
 * peer get in before we sent it anything.
 *
 * @param mapped    where the server saw the mapping test's socket, null if the server did not answer
 * @param alternate the server's OTHER-ADDRESS, null if it has none (then only {@code mapped} is known)
 */
public record NatBehaviour(String server, InetSocketAddress mapped, InetSocketAddress alternate, Mapping mapping,
        Filtering filtering) {

    public enum Mapping {
        /** The server saw this machine's own address and port. */
        NO_NAT,
        /** One public address and port for every destination: what STUN tells peers works. */
        ENDPOINT_INDEPENDENT,
        /** A new public port per destination IP. */
        ADDRESS_DEPENDENT,
        /** A new public port per destination IP and port ("symmetric"): STUN's answer is useless to peers. */
        ADDRESS_AND_PORT_DEPENDENT,
        /** The server did not answer, or has no alternate address to compare with. */
        UNKNOWN;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public enum Filtering {
        /** Anyone may send to the mapping once it exists. */
        ENDPOINT_INDEPENDENT,
        /** Only IPs this socket has sent to. */
        ADDRESS_DEPENDENT,
        /** Only the IP and port this socket has sent to. */
        ADDRESS_AND_PORT_DEPENDENT,
        /** The server did not answer, or has no alternate address. */
        UNKNOWN;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Runs both tests, each on its own fresh socket: the mapping test's requests to the alternate address would
     * open the very holes the filtering test looks for.
     */
    public static NatBehaviour measure(String name, InetSocketAddress server, Duration perTry, int tries)
            throws IOException {
        InetSocketAddress mapped;
        InetSocketAddress alternate;
        Mapping mapping;
        try (StunClient client = new StunClient(perTry, tries)) {
            StunClient.Answer first = client.bind(server);
            if (first == null) {
                return new NatBehaviour(name, null, null, Mapping.UNKNOWN, Filtering.UNKNOWN);
            }
            mapped = first.mapped();
            // RFC 5780 needs another IP: an alternate on the same IP (coturn's second listener reports one)
            // would make a symmetric NAT look endpoint-independent, so it counts as none
            alternate = first.other() != null && !first.other().getAddress().equals(server.getAddress())
                    ? first.other() : null;
            mapping = mapping(client, server, first, alternate);
        }
        Filtering filtering = Filtering.UNKNOWN;
        if (alternate != null) {
            try (StunClient client = new StunClient(perTry, tries)) {
                if (client.bind(server) != null) {
                    filtering = client.bindChanged(server, StunClient.CHANGE_IP | StunClient.CHANGE_PORT) != null
                            ? Filtering.ENDPOINT_INDEPENDENT
                            : client.bindChanged(server, StunClient.CHANGE_PORT) != null ? Filtering.ADDRESS_DEPENDENT
                            : Filtering.ADDRESS_AND_PORT_DEPENDENT;
                }
            }
        }
        return new NatBehaviour(name, mapped, alternate, mapping, filtering);
    }

    private static Mapping mapping(StunClient client, InetSocketAddress server, StunClient.Answer first,
            InetSocketAddress alternate) throws IOException {
        if (first.mapped().getPort() == client.localPort() && isLocal(first.mapped())) {
            return Mapping.NO_NAT;
        }
        if (alternate == null) {
            return Mapping.UNKNOWN;
        }
        StunClient.Answer second = client.bind(new InetSocketAddress(alternate.getAddress(), server.getPort()));
        if (second == null) {
            return Mapping.UNKNOWN;
        }
        if (second.mapped().equals(first.mapped())) {
            return Mapping.ENDPOINT_INDEPENDENT;
        }
        StunClient.Answer third = client.bind(alternate);
        if (third == null) {
            return Mapping.UNKNOWN;
        }
        return third.mapped().equals(second.mapped()) ? Mapping.ADDRESS_DEPENDENT : Mapping.ADDRESS_AND_PORT_DEPENDENT;
    }

    private static boolean isLocal(InetSocketAddress mapped) {
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (Collections.list(nif.getInetAddresses()).contains(mapped.getAddress())) {
                    return true;
                }
            }
        } catch (SocketException e) {
            return false;
        }
        return false;
    }

    /** One line for people, e.g. "endpoint-independent mapping, address-dependent filtering (a port-restricted cone)". */
    public String describe() {
        if (mapped == null) {
            return "no answer";
        }
        if (alternate == null && mapping != Mapping.NO_NAT) {
            return "seen as " + mapped.getAddress().getHostAddress() + ":" + mapped.getPort()
                    + "; mapping and filtering unknown (the server has no alternate address on another IP)";
        }
        if (mapping == Mapping.NO_NAT) {
            return "no NAT (the server saw this machine's own address)"
                    + (filtering == Filtering.UNKNOWN ? "" : ", " + filtering.id() + " filtering");
        }
        String kind = mapping == Mapping.ADDRESS_AND_PORT_DEPENDENT || mapping == Mapping.ADDRESS_DEPENDENT
                ? "symmetric NAT" : mapping == Mapping.ENDPOINT_INDEPENDENT
                ? (filtering == Filtering.ENDPOINT_INDEPENDENT ? "full-cone NAT"
                : filtering == Filtering.ADDRESS_DEPENDENT ? "restricted-cone NAT"
                : filtering == Filtering.ADDRESS_AND_PORT_DEPENDENT ? "port-restricted-cone NAT" : "cone NAT")
                : null;
        String text = mapping.id() + " mapping, " + filtering.id() + " filtering";
        return kind == null ? text : text + " (" + kind + ")";
    }
}
