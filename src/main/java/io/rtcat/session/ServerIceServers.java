package io.rtcat.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.IceServerUrl;
import io.rtcat.signaling.SignalMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The ICE servers a signaling server hands out in its {@code joined} message ({@code rtcat signal
 * --turn-secret-file}): browser {@code RTCIceServer[]} shape, {@code [{"urls":[...]|"...","username":U,
 * "credential":C}]}. Entries rtcat cannot use are skipped with a note rather than failing the connection:
 * the server is only offering help.
 */
final class ServerIceServers {

    /**
     * Most ICE servers taken from one server: each costs candidate gathering (a hostile server could offer
     * thousands and make every peer connection gather from all of them). Real deployments offer a handful.
     */
    static final int MAX_SERVERS = 8;

    private ServerIceServers() {
    }

    static List<IceServerUrl> from(SignalMessage joined, Consumer<String> progress) {
        List<IceServerUrl> out = new ArrayList<>();
        JsonNode servers = joined.getNode("iceServers");
        if (servers == null || !servers.isArray()) {
            return out;
        }
        for (JsonNode server : servers) {
            JsonNode urls = server.get("urls");
            List<String> list = new ArrayList<>();
            if (urls != null && urls.isTextual()) {
                list.add(urls.asText());
            } else if (urls != null && urls.isArray()) {
                urls.forEach(u -> list.add(u.asText()));
            }
            String user = text(server, "username");
            String credential = text(server, "credential");
            for (String url : list) {
                if (out.size() == MAX_SERVERS) {
                    progress.accept("ignoring the signaling server's ICE servers past the first " + MAX_SERVERS);
                    return out;
                }
                try {
                    IceServerUrl parsed = IceServerUrl.parse(url, user, credential);
                    out.add(parsed);
                    progress.accept("signaling server offers ICE server " + parsed);
                } catch (RtcatException e) {
                    progress.accept("ignoring an ICE server from the signaling server: " + e.getMessage());
                }
            }
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
