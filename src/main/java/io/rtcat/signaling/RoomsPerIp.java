package io.rtcat.signaling;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Which rooms the connections from each IP address are in, with a limit on how many distinct rooms one
 * address may hold at once: a cheap defence against one host creating rooms by the thousand. Several
 * connections from one address in the same room count once. Thread-safe (one lock, its own).
 */
final class RoomsPerIp {

    private final int limit;
    /** address to room to the number of its connections in that room */
    private final Map<InetAddress, Map<String, Integer>> rooms = new HashMap<>();

    /** @param limit most distinct rooms per address; 0 means unlimited */
    RoomsPerIp(int limit) {
        this.limit = limit;
    }

    /** Counts one more connection from {@code ip} in {@code room}; false (and no change) if over the limit. */
    synchronized boolean enter(InetAddress ip, String room) {
        if (ip == null) {
            return true;
        }
        Map<String, Integer> held = rooms.computeIfAbsent(IpKey.of(ip), k -> new HashMap<>());
        if (limit > 0 && !held.containsKey(room) && held.size() >= limit) {
            if (held.isEmpty()) {
                rooms.remove(IpKey.of(ip));
            }
            return false;
        }
        held.merge(room, 1, Integer::sum);
        return true;
    }

    /** Undoes one {@link #enter}. */
    synchronized void leave(InetAddress ip, String room) {
        if (ip == null) {
            return;
        }
        Map<String, Integer> held = rooms.get(IpKey.of(ip));
        if (held == null) {
            return;
        }
        held.computeIfPresent(room, (k, n) -> n <= 1 ? null : n - 1);
        if (held.isEmpty()) {
            rooms.remove(IpKey.of(ip));
        }
    }

    int limit() {
        return limit;
    }

    synchronized void clear() {
        rooms.clear();
    }
}
