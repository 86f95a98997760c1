package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What the receiving side needs to meet `rtcat send`, built in one place: shown to people on stderr and given
 * to wrappers on stdout (the first {@code ready} event of --json-stream, the {@code ready} field of --json), so
 * neither scrapes the other.
 *
 * @param code        the code phrase, null in a plain room
 * @param room        the plain room (--room), null with a code phrase
 * @param from        host:port of the embedded signaling server, one per address; empty with --signal
 * @param signal      the shared signaling server (--signal), null with the embedded one
 * @param commands    the commands to type on the other machine, one per way to reach this one
 * @param browserLink the page for people without rtcat, null when there is none (or it could not be trusted)
 * @param codeAlone   the first command is the code alone (the receiver finds us on the LAN or the trackers); the
 *                    others name this machine
 */
record Invitation(String code, String room, List<String> from, String signal, List<String> commands,
        String browserLink, boolean codeAlone) {

    Invitation {
        from = List.copyOf(from);
        commands = List.copyOf(commands);
    }

    /** The fields for JSON, into {@code node} (the event or the --json field). */
    ObjectNode fill(ObjectNode node) {
        if (code != null) {
            node.put("code", code);
        }
        if (room != null) {
            node.put("room", room);
        }
        ArrayNode hosts = node.putArray("from");
        from.forEach(hosts::add);
        if (signal != null) {
            node.put("signal", signal);
        }
        ArrayNode cmds = node.putArray("commands");
        commands.forEach(cmds::add);
        if (browserLink != null) {
            node.put("browser_link", browserLink);
        }
        return node;
    }

    /** The first event of `send --json-stream`. */
    ObjectNode readyEvent() {
        return fill(JsonDocument.event("ready"));
    }
}
