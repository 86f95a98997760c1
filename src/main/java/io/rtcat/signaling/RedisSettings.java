package io.rtcat.signaling;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where {@link RedisRooms} shares rooms.
 *
 * @param url       {@code redis://[:PASSWORD@]HOST[:PORT][/DB]} or {@code rediss://...} for TLS
 * @param memberTtl how long this server's members outlive it in Redis if it dies without cleaning up; it
 *                  renews them every fifth of that (a heartbeat)
 */
public record RedisSettings(URI url, Duration memberTtl) {

    public static final Duration DEFAULT_MEMBER_TTL = Duration.ofSeconds(10);

    public RedisSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(memberTtl, "memberTtl");
        if (memberTtl.toMillis() < 1000) {
            throw new IllegalArgumentException("member ttl must be at least 1 s: " + memberTtl);
        }
    }

    /** Host, port and database for messages, never the password. */
    public String where() {
        int port = url.getPort() < 0 ? 6379 : url.getPort();
        String path = url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/") ? ""
                : url.getPath();
        return url.getScheme() + "://" + url.getHost() + ":" + port + path;
    }
}
