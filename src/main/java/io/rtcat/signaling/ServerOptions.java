package io.rtcat.signaling;

/**
 * Settings for {@link SignalingServer}.
 *
 * @param roomCapacity                 most members per room; a further join gets error "room-full"
 * @param maxMessageBytes              largest accepted WebSocket message payload in bytes; a bigger
 *                                     one closes that connection with code 1009
 * @param connectionLostTimeoutSeconds ping interval used to drop dead peers; 0 disables
 */
public record ServerOptions(int roomCapacity, int maxMessageBytes, int connectionLostTimeoutSeconds) {

    public static final int DEFAULT_ROOM_CAPACITY = 8;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
    public static final int DEFAULT_CONNECTION_LOST_TIMEOUT_SECONDS = 30;

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
    }

    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_ROOM_CAPACITY, DEFAULT_MAX_MESSAGE_BYTES,
                DEFAULT_CONNECTION_LOST_TIMEOUT_SECONDS);
    }

    public ServerOptions withRoomCapacity(int n) {
        return new ServerOptions(n, maxMessageBytes, connectionLostTimeoutSeconds);
    }

    public ServerOptions withMaxMessageBytes(int n) {
        return new ServerOptions(roomCapacity, n, connectionLostTimeoutSeconds);
    }

    public ServerOptions withConnectionLostTimeoutSeconds(int s) {
        return new ServerOptions(roomCapacity, maxMessageBytes, s);
    }
}
