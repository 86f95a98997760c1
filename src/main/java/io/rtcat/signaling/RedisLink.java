package io.rtcat.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.rtcat.errors.Describe;
import io.rtcat.errors.RtcatException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One server's connections to Redis (commands, and pub/sub for its channel) with Lettuce set up for a signaling
 * server: short timeouts, commands refused rather than queued while disconnected, reconnects with a back-off of
 * 0.1 to 5 s. Plus the key layout both sides agree on (see {@link RedisScripts}).
 */
final class RedisLink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisLink.class.getName());
    /**
     * Lettuce and Netty log through java.util.logging here (slf4j-nop makes Netty skip SLF4J); their
     * reconnect warnings would repeat every back-off step, so ours (one per outage) replace them. Held
     * strongly so the level sticks; left alone if something (e.g. -vv) already set one.
     */
    private static final List<Logger> CLIENT_LOGS = List.of(Logger.getLogger("io.lettuce"),
            Logger.getLogger("io.netty"));
    static final String PREFIX = "rtcat:signal:";
    static final String INSTANCES = PREFIX + "instances";
    static final String SEQ = PREFIX + "seq";
    static final String ROOM_PREFIX = PREFIX + "room:";
    static final String ALIVE_PREFIX = PREFIX + "alive:";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final ClientResources resources;
    private final RedisClient client;
    final StatefulRedisConnection<String, String> connection;
    final StatefulRedisPubSubConnection<String, String> pubsub;

    private RedisLink(ClientResources resources, RedisClient client, StatefulRedisConnection<String, String> connection,
                      StatefulRedisPubSubConnection<String, String> pubsub) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.pubsub = pubsub;
    }

    /**
     * Connects both connections.
     *
     * @throws RtcatException USAGE for a malformed url, UNAVAILABLE if Redis cannot be reached
     */
    static RedisLink open(RedisSettings settings) throws RtcatException {
        for (Logger l : CLIENT_LOGS) {
            if (l.getLevel() == null) {
                l.setLevel(Level.SEVERE);
            }
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(settings.url());
        } catch (IllegalArgumentException e) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid redis url " + settings.where() + ": "
                    + describe(e));
        }
        uri.setTimeout(COMMAND_TIMEOUT);
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        StatefulRedisConnection<String, String> connection = null;
        try {
            connection = client.connect();
            return new RedisLink(resources, client, connection, client.connectPubSub());
        } catch (RedisException e) {
            if (connection != null) {
                connection.close();
            }
            shutdown(client, resources);
            throw unreachable(settings, e);
        }
    }

    static RtcatException unreachable(RedisSettings settings, RedisException e) {
        return new RtcatException(RtcatException.Kind.UNAVAILABLE, "cannot reach redis at " + settings.where()
                + ": " + describe(e), "start redis there, or check the --redis url (host, port, password)", e);
    }

    @Override
    public void close() {
        pubsub.close();
        connection.close();
        shutdown(client, resources);
    }

    private static void shutdown(RedisClient client, ClientResources resources) {
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            resources.shutdown(0, 1, TimeUnit.SECONDS).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.FINE, "signaling: redis client shutdown", e);
        }
    }

    // ---------------------------------------------------------------- names and values

    static String roomKey(String room) {
        return ROOM_PREFIX + room;
    }

    static String aliveKey(String server) {
        return ALIVE_PREFIX + server;
    }

    static String roomsKey(String server) {
        return PREFIX + "rooms:" + server;
    }

    static String channel(String server) {
        return PREFIX + "to:" + server;
    }

    /** One member entry: the room hash's field and its "SEQ SERVER" value. */
    record Entry(String userId, long seq, String server) {
        static Entry parse(String userId, String value) {
            int sp = value.indexOf(' ');
            long seq;
            try {
                seq = sp < 0 ? Long.MAX_VALUE : Long.parseLong(value.substring(0, sp));
            } catch (NumberFormatException e) {
                seq = Long.MAX_VALUE;
            }
            return new Entry(userId, seq, serverOf(value));
        }

        static String serverOf(String value) {
            int sp = value.indexOf(' ');
            return sp < 0 ? "" : value.substring(sp + 1);
        }
    }

    /** What one server publishes on another's channel: text for {@code to} only, or all but {@code except}. */
    record Envelope(String room, String to, String except, String text) {
        String encode() {
            ObjectNode env = Json.object();
            env.put("room", room);
            if (to != null) {
                env.put("to", to);
            }
            if (except != null) {
                env.put("except", except);
            }
            env.put("text", text);
            return Json.write(env);
        }

        /** The envelope, or null (logged) if it is malformed. */
        static Envelope decode(String json) {
            JsonNode env;
            try {
                env = Json.read(json);
            } catch (JsonProcessingException e) {
                LOG.fine(() -> "signaling: malformed message from another server: " + Json.describe(e));
                return null;
            }
            String room = env.path("room").asText(null);
            String text = env.path("text").asText(null);
            if (room == null || text == null) {
                return null;
            }
            return new Envelope(room, env.path("to").asText(null), env.path("except").asText(null), text);
        }
    }

    /**
     * The root cause in a few lowercase words, e.g. "connection refused"; Lettuce's "currently not connected"
     * (while it reconnects) is "connection lost", and Netty's address suffix is cut.
     */
    static String describe(Throwable t) {
        String m = Describe.rootCause(t);
        if (m.startsWith("currently not connected")) {
            return "connection lost";
        }
        int colon = m.indexOf(": /"); // netty: "connection refused: /127.0.0.1:6379"
        return colon > 0 ? m.substring(0, colon) : m;
    }
}
