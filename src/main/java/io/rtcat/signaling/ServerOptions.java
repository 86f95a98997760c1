package io.rtcat.signaling;

import javax.net.ssl.SSLContext;

/**
 * Settings for {@link SignalingServer}.
 *
 * @param roomCapacity                 most members per room; a further join gets error "room-full"
 * @param maxMessageBytes              largest accepted WebSocket message payload in bytes; a bigger
 *                                     one closes that connection with code 1009
 * @param connectionLostTimeoutSeconds a connection silent this long (no message, no pong) is pinged, and one
 *                                     silent 1.5 times as long is dropped; 0 disables
 * @param idleTimeoutSeconds           a connection that sends no message for this long is closed
 *                                     with code {@link SignalingServer#CLOSE_IDLE}; pings and pongs
 *                                     do not count as messages; 0 disables
 * @param maxConnectionsPerIp          most open WebSocket connections from one IP address; a further
 *                                     one is closed with {@link SignalingServer#CLOSE_TOO_MANY}
 *                                     right after its handshake; 0 means unlimited
 * @param messagesPerSecond            sustained message rate allowed per connection (token bucket);
 *                                     0 means unlimited
 * @param messageBurst                 token bucket size: messages a connection may send at once
 *                                     before {@code messagesPerSecond} applies
 * @param token                        shared secret clients must present as {@code ?token=...} on
 *                                     the WebSocket URL, or null for an open server; never printed by
 *                                     {@link #toString()}
 * @param sslContext                   serve {@code wss://} with this context (see {@link PemTls}), or
 *                                     null for plain {@code ws://}
 * @param joinSecret                   require join tokens signed with this secret ({@link JoinTokens}),
 *                                     or null
 * @param turn                         hand out TURN credentials with every {@code joined} message, or null
 * @param maxRoomsPerIp                most distinct rooms the connections from one IP may be in at once;
 *                                     a join into a further room gets error "too-many-rooms"; 0 unlimited
 * @param handshakeTimeoutSeconds      a TCP connection must finish the (TLS and) WebSocket handshake and
 *                                     its first join within this long, else it is dropped (no handshake)
 *                                     or closed with {@link SignalingServer#CLOSE_JOIN_TIMEOUT}
 * @param trustedProxies               proxies whose X-Forwarded-For names the client that the per-IP limits
 *                                     count; {@link TrustedProxies#none()} to count the TCP peer
 */
public record ServerOptions(int roomCapacity, int maxMessageBytes, int connectionLostTimeoutSeconds,
                            int idleTimeoutSeconds, int maxConnectionsPerIp, double messagesPerSecond,
                            int messageBurst, String token, SSLContext sslContext, byte[] joinSecret,
                            TurnCredentials turn, int maxRoomsPerIp, int handshakeTimeoutSeconds,
                            TrustedProxies trustedProxies) {

    public static final int DEFAULT_ROOM_CAPACITY = 8;
    /** 64 KiB: an SDP offer with many candidates is a few KiB (see README "signal"), a PAKE round under 2 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 10;
    public static final int DEFAULT_CONNECTION_LOST_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 50;
    public static final double DEFAULT_MESSAGES_PER_SECOND = 50;
    public static final int DEFAULT_MESSAGE_BURST = 200;
    public static final int DEFAULT_MAX_ROOMS_PER_IP = 20;
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_SECONDS = 10;

    public ServerOptions {
        if (roomCapacity < 1) {
            throw new IllegalArgumentException("room capacity must be at least 1: " + roomCapacity);
        }
        if (maxMessageBytes < 256) {
            throw new IllegalArgumentException("max message size must be at least 256 bytes: " + maxMessageBytes);
        }
        if (connectionLostTimeoutSeconds < 0) {
            throw new IllegalArgumentException("connection lost timeout must not be negative: "
                    + connectionLostTimeoutSeconds);
        }
        if (idleTimeoutSeconds < 0) {
            throw new IllegalArgumentException("idle timeout must not be negative: " + idleTimeoutSeconds);
        }
        if (maxConnectionsPerIp < 0) {
            throw new IllegalArgumentException("max connections per ip must not be negative: "
                    + maxConnectionsPerIp);
        }
        if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException("message rate must be a non-negative number: " + messagesPerSecond);
        }
        if (messageBurst < 1) {
            throw new IllegalArgumentException("message burst must be at least 1: " + messageBurst);
        }
        if (joinSecret != null && joinSecret.length < JoinTokens.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("join secret must have at least " + JoinTokens.MIN_SECRET_BYTES
                    + " bytes");
        }
        if (joinSecret != null && token != null) {
            throw new IllegalArgumentException("a shared token and signed join tokens cannot be combined");
        }
        if (maxRoomsPerIp < 0) {
            throw new IllegalArgumentException("max rooms per ip must not be negative: " + maxRoomsPerIp);
        }
        if (handshakeTimeoutSeconds < 1) {
            throw new IllegalArgumentException("handshake timeout must be at least 1 second: "
                    + handshakeTimeoutSeconds);
        }
        if (trustedProxies == null) {
            trustedProxies = TrustedProxies.none();
        }
        if (token != null && token.isEmpty()) {
            throw new IllegalArgumentException("token must not be empty (use null for no token)");
        }
    }

    /** The original three settings; the others take their defaults. */
    public ServerOptions(int roomCapacity, int maxMessageBytes, int connectionLostTimeoutSeconds) {
        this(roomCapacity, maxMessageBytes, connectionLostTimeoutSeconds, DEFAULT_IDLE_TIMEOUT_SECONDS,
                DEFAULT_MAX_CONNECTIONS_PER_IP, DEFAULT_MESSAGES_PER_SECOND, DEFAULT_MESSAGE_BURST, null, null, null,
                null, DEFAULT_MAX_ROOMS_PER_IP, DEFAULT_HANDSHAKE_TIMEOUT_SECONDS, TrustedProxies.none());
    }

    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_ROOM_CAPACITY, DEFAULT_MAX_MESSAGE_BYTES,
                DEFAULT_CONNECTION_LOST_TIMEOUT_SECONDS);
    }

    public ServerOptions withRoomCapacity(int n) {
        return edit(e -> e.roomCapacity = n);
    }

    public ServerOptions withMaxMessageBytes(int n) {
        return edit(e -> e.maxMessageBytes = n);
    }

    public ServerOptions withConnectionLostTimeoutSeconds(int s) {
        return edit(e -> e.connectionLostTimeoutSeconds = s);
    }

    /** 0 disables the idle timeout. */
    public ServerOptions withIdleTimeoutSeconds(int s) {
        return edit(e -> e.idleTimeoutSeconds = s);
    }

    /** 0 means unlimited. */
    public ServerOptions withMaxConnectionsPerIp(int n) {
        return edit(e -> e.maxConnectionsPerIp = n);
    }

    /** Token bucket per connection: {@code perSecond} sustained (0 = unlimited), {@code burst} at once. */
    public ServerOptions withRateLimit(double perSecond, int burst) {
        return edit(e -> {
            e.messagesPerSecond = perSecond;
            e.messageBurst = burst;
        });
    }

    /** Shared secret, or null for none. */
    public ServerOptions withToken(String t) {
        return edit(e -> e.token = t);
    }

    /** TLS context for wss://, or null for plain ws://. */
    public ServerOptions withSslContext(SSLContext ctx) {
        return edit(e -> e.sslContext = ctx);
    }

    /** Requires a join token signed with {@code secret} (see {@link JoinTokens}); null for none. */
    public ServerOptions withJoinSecret(byte[] secret) {
        return edit(e -> e.joinSecret = secret == null ? null : secret.clone());
    }

    /** Hands out coturn REST credentials for these TURN URLs on join; null for none. */
    public ServerOptions withTurn(TurnCredentials t) {
        return edit(e -> e.turn = t);
    }

    /** Most distinct rooms the connections from one IP may be in at once; 0 means unlimited. */
    public ServerOptions withMaxRoomsPerIp(int n) {
        return edit(e -> e.maxRoomsPerIp = n);
    }

    /** Seconds a connection may take from TCP accept to its first successful join. */
    public ServerOptions withHandshakeTimeoutSeconds(int s) {
        return edit(e -> e.handshakeTimeoutSeconds = s);
    }

    /** Believe X-Forwarded-For from these proxies when counting connections and rooms per IP. */
    public ServerOptions withTrustedProxies(TrustedProxies proxies) {
        return edit(e -> e.trustedProxies = proxies);
    }

    /** A copy with {@code change} applied to its settings (validated again by the constructor). */
    private ServerOptions edit(java.util.function.Consumer<Editable> change) {
        Editable e = new Editable(this);
        change.accept(e);
        return e.build();
    }

    /** The settings as mutable fields, so each {@code with...} names only what it changes. */
    private static final class Editable {
        int roomCapacity;
        int maxMessageBytes;
        int connectionLostTimeoutSeconds;
        int idleTimeoutSeconds;
        int maxConnectionsPerIp;
        double messagesPerSecond;
        int messageBurst;
        String token;
        SSLContext sslContext;
        byte[] joinSecret;
        TurnCredentials turn;
        int maxRoomsPerIp;
        int handshakeTimeoutSeconds;
        TrustedProxies trustedProxies;

        Editable(ServerOptions o) {
            roomCapacity = o.roomCapacity;
            maxMessageBytes = o.maxMessageBytes;
            connectionLostTimeoutSeconds = o.connectionLostTimeoutSeconds;
            idleTimeoutSeconds = o.idleTimeoutSeconds;
            maxConnectionsPerIp = o.maxConnectionsPerIp;
            messagesPerSecond = o.messagesPerSecond;
            messageBurst = o.messageBurst;
            token = o.token;
            sslContext = o.sslContext;
            joinSecret = o.joinSecret;
            turn = o.turn;
            maxRoomsPerIp = o.maxRoomsPerIp;
            handshakeTimeoutSeconds = o.handshakeTimeoutSeconds;
            trustedProxies = o.trustedProxies;
        }

        ServerOptions build() {
            return new ServerOptions(roomCapacity, maxMessageBytes, connectionLostTimeoutSeconds, idleTimeoutSeconds,
                    maxConnectionsPerIp, messagesPerSecond, messageBurst, token, sslContext, joinSecret, turn,
                    maxRoomsPerIp, handshakeTimeoutSeconds, trustedProxies);
        }
    }

    public boolean tls() {
        return sslContext != null;
    }

    /** Like the record's default, but the token is shown only as present or absent. */
    @Override
    public String toString() {
        return "ServerOptions[roomCapacity=" + roomCapacity + ", maxMessageBytes=" + maxMessageBytes
                + ", connectionLostTimeoutSeconds=" + connectionLostTimeoutSeconds
                + ", idleTimeoutSeconds=" + idleTimeoutSeconds + ", maxConnectionsPerIp=" + maxConnectionsPerIp
                + ", messagesPerSecond=" + messagesPerSecond + ", messageBurst=" + messageBurst
                + ", token=" + (token == null ? "none" : "***") + ", tls=" + tls()
                + ", joinTokens=" + (joinSecret != null) + ", turn=" + turn + ", maxRoomsPerIp=" + maxRoomsPerIp
                + ", handshakeTimeoutSeconds=" + handshakeTimeoutSeconds + ", trustedProxies=" + trustedProxies + "]";
    }
}
