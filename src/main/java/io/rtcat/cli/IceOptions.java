package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.PeerConfig;
import io.rtcat.session.RendezvousSettings;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How peers find a path: STUN/TURN servers, relay-only, ports, IPv6, send watermark. */
public final class IceOptions {

    @Mixin
    IceServerOptions servers;

    @Option(names = "--relay-only", description = "Send everything through the TURN server (a turn: --ice, or "
            + "one the signaling server hands out).")
    boolean relayOnly;

    @Option(names = "--port-range", paramLabel = "LOW-HIGH", converter = Converters.PortRange.Converter.class,
            description = "Local UDP ports to use, e.g. 40000-40100 (for firewalls).")
    Converters.PortRange portRange;

    @Option(names = "--ipv6", description = "Also use IPv6 candidates (off by default).")
    boolean ipv6;

    @Option(names = "--watermark", paramLabel = "SIZE", defaultValue = "4M",
            description = "Most bytes a data channel may queue before the sender waits: 64K-8M (default: ${DEFAULT-VALUE}).")
    String watermark;

    PeerConfig toConfig() throws RtcatException {
        return toConfig(false);
    }

    /**
     * @param signalingMayOfferTurn peers meet on an external signaling server, which may hand out TURN
     *                              credentials on join (`rtcat signal --turn-secret-file`): --relay-only
     *                              without a turn: --ice is then checked only once the server has answered
     */
    PeerConfig toConfig(boolean signalingMayOfferTurn) throws RtcatException {
        return toConfig(signalingMayOfferTurn, List.of());
    }

    /**
     * The config for internet rendezvous (trackers): {@code config} plus the public STUN servers when neither
     * --ice, RTCAT_ICE nor the config file named any ICE server (and not --offline).
     */
    PeerConfig internetConfig(PeerConfig config, RendezvousSettings settings) throws RtcatException {
        return iceGiven() ? config : config.withMoreIceServers(IceServerOptions.parseAll(settings.publicStun()));
    }

    /** Whether --ice was given, which overrides RTCAT_ICE, the config file and the public STUN defaults. */
    boolean iceGiven() {
        return !servers.ice.isEmpty();
    }

    /**
     * @param configured ICE URLs from RTCAT_ICE or the config file, used when no --ice was given
     */
    PeerConfig toConfig(boolean signalingMayOfferTurn, List<String> configured) throws RtcatException {
        int low = portRange == null ? 0 : portRange.low();
        int high = portRange == null ? 0 : portRange.high();
        PeerConfig config = new PeerConfig(servers.parse(configured), relayOnly, low, high, ipv6,
                Sizes.parse("--watermark", watermark));
        if (signalingMayOfferTurn) {
            config.validateExceptRelayServer();
        } else {
            config.validate();
        }
        return config;
    }
}
