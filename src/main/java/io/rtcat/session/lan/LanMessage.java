package io.rtcat.session.lan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One LAN discovery datagram: a single line of US-ASCII words (see {@link LanDiscovery} for the protocol).
 * <pre>
 *   RTCAT1 QUERY    NAMEPLATE
 *   RTCAT1 ANNOUNCE NAMEPLATE PORT ID [ADDR,ADDR...]
 *   RTCAT1 BYE      NAMEPLATE PORT ID
 * </pre>
 * Only the nameplate (the code's public number) travels; never the code's words.
 *
 * @param id a random per-process id that tells two senders on one host apart
 */
public record LanMessage(Type type, String nameplate, int port, String id, List<String> addresses) {

    public enum Type { QUERY, ANNOUNCE, BYE }

    static final String MAGIC = "RTCAT1";
    /** Bounds a datagram we read or write; an announce with a few addresses is ~100 bytes. */
    static final int MAX_BYTES = 1024;
    private static final Pattern NAMEPLATE = Pattern.compile("[0-9]{1,9}|[A-Za-z0-9._-]{1,64}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{1,32}");
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

    public LanMessage {
        addresses = List.copyOf(addresses);
    }

    public static LanMessage query(String nameplate) {
        return new LanMessage(Type.QUERY, nameplate, 0, "", List.of());
    }

    public static LanMessage announce(String nameplate, int port, String id, List<String> addresses) {
        return new LanMessage(Type.ANNOUNCE, nameplate, port, id, addresses);
    }

    public static LanMessage bye(String nameplate, int port, String id) {
        return new LanMessage(Type.BYE, nameplate, port, id, List.of());
    }

    public byte[] encode() {
        StringBuilder sb = new StringBuilder(MAGIC).append(' ').append(type).append(' ').append(nameplate);
        if (type != Type.QUERY) {
            sb.append(' ').append(port).append(' ').append(id);
            if (!addresses.isEmpty()) {
                sb.append(' ').append(String.join(",", addresses));
            }
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses a datagram; null for anything that is not a well-formed rtcat message (other traffic, junk). */
    public static LanMessage decode(byte[] data, int length) {
        if (length <= 0 || length > MAX_BYTES) {
            return null;
        }
        String[] w = new String(data, 0, length, StandardCharsets.US_ASCII).strip().split(" ");
        if (w.length < 3 || !w[0].equals(MAGIC) || !NAMEPLATE.matcher(w[2]).matches()) {
            return null;
        }
        try {
            Type type = Type.valueOf(w[1]);
            if (type == Type.QUERY) {
                return w.length == 3 ? query(w[2]) : null;
            }
            if (w.length < 5 || w.length > 6 || !ID.matcher(w[4]).matches()) {
                return null;
            }
            int port = Integer.parseInt(w[3]);
            if (port < 1 || port > 65535) {
                return null;
            }
            List<String> addresses = new ArrayList<>();
            if (w.length == 6) {
                for (String a : w[5].split(",", 17)) {
                    if (!ADDRESS.matcher(a).matches() || addresses.size() == 16) {
                        return null;
                    }
                    addresses.add(a);
                }
            }
            return type == Type.BYE ? (addresses.isEmpty() ? bye(w[2], port, w[4]) : null)
                    : announce(w[2], port, w[4], addresses);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
