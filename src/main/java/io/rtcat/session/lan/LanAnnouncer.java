package io.rtcat.session.lan;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The sender's side of {@link LanDiscovery}: announces a nameplate and its embedded server's port until closed. */
public final class LanAnnouncer implements AutoCloseable {

    private final LanMessage announce;
    private final LanSocket socket;
    private final ScheduledExecutorService timer;

    private LanAnnouncer(LanMessage announce, int groupPort) throws RtcatException {
        this.announce = announce;
        this.socket = LanSocket.open(LanDiscovery.group(groupPort), this::onMessage);
        this.timer = Threads.scheduler("rtcat-lan-announce");
    }

    /**
     * @param addresses the embedded server's addresses as this machine sees them (the receiver tries the
     *                  datagram's source address first, then these)
     */
    public static LanAnnouncer start(String nameplate, int serverPort, List<String> addresses)
            throws RtcatException {
        return start(nameplate, serverPort, addresses, LanDiscovery.PORT);
    }

    static LanAnnouncer start(String nameplate, int serverPort, List<String> addresses, int groupPort)
            throws RtcatException {
        return start(nameplate, serverPort, addresses, groupPort, LanDiscovery.ANNOUNCE_EVERY);
    }

    static LanAnnouncer start(String nameplate, int serverPort, List<String> addresses, int groupPort,
            java.time.Duration every) throws RtcatException {
        byte[] id = new byte[4];
        new SecureRandom().nextBytes(id);
        List<String> ipv4 = addresses.stream().filter(a -> !a.contains(":") && !a.startsWith("127.")).limit(8).toList();
        LanAnnouncer a = new LanAnnouncer(LanMessage.announce(nameplate, serverPort, HexFormat.of().formatHex(id),
                ipv4), groupPort);
        a.timer.scheduleWithFixedDelay(() -> a.socket.send(a.announce), 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return a;
    }

    private void onMessage(LanMessage m, InetAddress from) {
        if (m.type() == LanMessage.Type.QUERY && m.nameplate().equals(announce.nameplate())) {
            socket.send(announce);
        }
    }

    /** Says goodbye (so receivers stop trying at once) and stops. */
    @Override
    public void close() {
        timer.shutdownNow();
        socket.send(LanMessage.bye(announce.nameplate(), announce.port(), announce.id()));
        socket.close();
    }
}
