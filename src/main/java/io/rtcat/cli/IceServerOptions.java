package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.IceServerUrl;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --ice URLs and the TURN credentials for URLs that carry none. */
public final class IceServerOptions {

    @Option(names = "--ice", paramLabel = "URL",
            description = {"STUN or TURN server; repeatable. stun:HOST[:PORT], turn:USER:PASS@HOST[:PORT]"
                    + "[?transport=udp|tcp], turns:USER:PASS@HOST[:PORT]."})
    List<String> ice = new ArrayList<>();

    @Option(names = "--ice-user", paramLabel = "USER", description = "TURN username for --ice URLs without one.")
    String iceUser;

    /** Where --ice-pass can come from instead, out of sight of ps. */
    static final String PASS_ENV = "RTCAT_ICE_PASS";

    @Option(names = "--ice-pass", paramLabel = "PASS", description = "TURN password for --ice URLs without one "
            + "(default: $" + PASS_ENV + ", which keeps it out of ps).")
    String icePass;

    List<IceServerUrl> parse() throws RtcatException {
        return parse(List.of());
    }

    /** Parses URLs that carry any credentials themselves (the built-in public STUN servers). */
    static List<IceServerUrl> parseAll(List<String> urls) throws RtcatException {
        List<IceServerUrl> servers = new ArrayList<>();
        for (String url : urls) {
            servers.add(IceServerUrl.parse(url, null, null));
        }
        return servers;
    }

    /** The --ice URLs, or {@code configured} (RTCAT_ICE, the config file) when none was given: flags win. */
    List<IceServerUrl> parse(List<String> configured) throws RtcatException {
        List<IceServerUrl> servers = new ArrayList<>();
        String pass = icePass != null ? icePass : System.getenv(PASS_ENV);
        for (String url : ice.isEmpty() ? configured : ice) {
            servers.add(IceServerUrl.parse(url, iceUser, pass));
        }
        return servers;
    }
}
