package io.rtcat.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.rtcat.errors.RtcatException;
import io.rtcat.errors.Threads;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rooms shared by every server on one Redis (see {@link RedisScripts} for the data layout). Membership,
 * capacity and unique user ids are decided in Redis by one script per join; a message for a member on
 * another server is published on that server's channel, which it alone subscribes to.
 *
 * <p>Each server also keeps its own members per room, under a lock per room: local deliveries and
 * publications for one room happen under it, on one Redis connection, so every member sees a room's
 * notes and messages in one order, as with {@link InMemoryRooms}.
 *
 * <p>Liveness: each server renews a key with a TTL ({@link RedisSettings#memberTtl()}) every fifth of it.
 * When a server dies, its entries stop counting at once for joins, and the next heartbeat of another server
 * removes them and sends {@code user-left} to the rest of the room.
 *
 * <p>Redis lost while running: joins and relays fall back to this server's own members (a target on another
 * server is then unknown), a warning is logged once, Lettuce reconnects with a back-off of 0.1 to 5 s, and the
 * next heartbeat after it is back re-subscribes and re-registers this server's members (Redis may have
 * restarted empty).
 */
final class RedisRooms implements Rooms {

    private static final Logger LOG = Logger.getLogger(RedisRooms.class.getName());
    private static final int INBOX_CAPACITY = 65_536;

    private final int capacity;
    private final RedisSettings settings;
    /** This server's id in Redis: random, so a restarted server is a new instance. */
    private final String id;
    private final RedisLink link;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> redisAsync;
    /** Messages from other servers, handled one at a time in arrival order off Lettuce's I/O threads. */
    private final ThreadPoolExecutor inbox;
    private final ScheduledExecutorService heartbeat;
    private final Map<String, LocalRoom> local = new ConcurrentHashMap<>();
    private final AtomicBoolean up = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set when Redis may have lost our members (a failed command, an expired alive key). */
    private volatile boolean resyncNeeded;
    /** Completed re-registrations (for tests and logs). */
    private final AtomicLong resyncs = new AtomicLong();

    /** This server's members of one room, in join order; the object is the room's lock. */
    private static final class LocalRoom {
        final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
        /** Removed from the map once empty: a thread that still holds it must look again. */
        boolean removed;
    }

    private RedisRooms(int capacity, RedisSettings settings, RedisLink link) {
        this.capacity = capacity;
        this.settings = settings;
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.id = HexFormat.of().formatHex(random);
        this.link = link;
        this.pubsub = link.pubsub;
        this.redis = link.connection.sync();
        this.redisAsync = link.connection.async();
        this.inbox = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(INBOX_CAPACITY),
                Threads.named("rtcat-signaling-redis-inbox"),
                (r, pool) -> LOG.fine("signaling: dropped a message from another server (inbox full)"));
        this.heartbeat = Threads.scheduler("rtcat-signaling-redis");
    }

    /**
     * Connects, subscribes to this server's channel and registers it.
     *
     * @throws RtcatException UNAVAILABLE if Redis cannot be reached or refuses us (e.g. a wrong password)
     */
    static RedisRooms connect(RedisSettings settings, int capacity) throws RtcatException {
        RedisLink link = RedisLink.open(settings);
        try {
            RedisRooms rooms = new RedisRooms(capacity, settings, link);
            rooms.register();
            return rooms;
        } catch (RedisException e) {
            link.close();
            throw RedisLink.unreachable(settings, e);
        }
    }

    private void register() {
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                inbox.execute(() -> receive(message));
            }
        });
        pubsub.sync().subscribe(RedisLink.channel(id));
        renewAlive();
        redis.sadd(RedisLink.INSTANCES, id);
        long period = Math.max(200, settings.memberTtl().toMillis() / 5);
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        LOG.info(() -> "signaling: sharing rooms through redis at " + settings.where() + " as server " + id);
    }

    // ---------------------------------------------------------------- Rooms

    @Override
    public JoinOutcome join(String room, String userId, Member member, ObjectNode ackExtras) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            LocalRoom r = local.computeIfAbsent(room, k -> new LocalRoom());
            synchronized (r) {
                if (r.removed) {
                    continue; // emptied and dropped meanwhile; take the new one
                }
                JoinOutcome outcome = joinLocked(r, room, userId, member, ackExtras);
                if (outcome != JoinOutcome.JOINED) {
                    dropIfEmpty(room, r);
                }
                return outcome;
            }
        }
        throw new IllegalStateException("room " + room + " kept being emptied while joining");
    }

    private JoinOutcome joinLocked(LocalRoom r, String room, String userId, Member member, ObjectNode ackExtras) {
        if (r.members.containsKey(userId)) {
            return JoinOutcome.USER_ID_TAKEN;
        }
        List<String> others = new ArrayList<>();
        Set<String> servers = new LinkedHashSet<>();
        try {
            List<Object> res = redis.eval(RedisScripts.JOIN, ScriptOutputType.MULTI,
                    new String[] {RedisLink.roomKey(room), RedisLink.SEQ, RedisLink.roomsKey(id)},
                    userId, id, String.valueOf(capacity), RedisLink.ALIVE_PREFIX, room);
            String status = String.valueOf(res.get(0));
            if (status.equals("taken")) {
                return JoinOutcome.USER_ID_TAKEN;
            }
            if (status.equals("full")) {
                return JoinOutcome.ROOM_FULL;
            }
            List<RedisLink.Entry> entries = new ArrayList<>();
            for (int i = 1; i + 1 < res.size(); i += 2) {
                entries.add(RedisLink.Entry.parse(String.valueOf(res.get(i)), String.valueOf(res.get(i + 1))));
            }
            entries.sort((a, b) -> Long.compare(a.seq(), b.seq()));
            for (RedisLink.Entry e : entries) {
                others.add(e.userId());
                if (!e.server().equals(id)) {
                    servers.add(e.server());
                }
            }
        } catch (RedisException e) {
            lost(e);
            if (r.members.size() >= capacity) {
                return JoinOutcome.ROOM_FULL;
            }
            others.clear();
            others.addAll(r.members.keySet());
            servers.clear();
        }
        String note = Notes.userJoined(userId);
        for (Member m : r.members.values()) {
            m.deliver(note);
        }
        for (String server : servers) {
            publish(server, room, null, null, note);
        }
        r.members.put(userId, member);
        member.deliver(Notes.joined(room, userId, others, ackExtras));
        return JoinOutcome.JOINED;
    }

    @Override
    public void leave(String room, String userId, Member member) {
        LocalRoom r = local.get(room);
        if (r == null) {
            return;
        }
        synchronized (r) {
            if (r.removed || !r.members.remove(userId, member)) {
                return;
            }
            String note = Notes.userLeft(userId);
            for (Member m : r.members.values()) {
                m.deliver(note);
            }
            try {
                List<Object> rest = redis.eval(RedisScripts.LEAVE, ScriptOutputType.MULTI,
                        new String[] {RedisLink.roomKey(room), RedisLink.roomsKey(id)}, userId, id, room);
                Set<String> servers = new LinkedHashSet<>();
                for (Object v : rest) {
                    String server = RedisLink.Entry.serverOf(String.valueOf(v));
                    if (!server.equals(id)) {
                        servers.add(server);
                    }
                }
                for (String server : servers) {
                    publish(server, room, null, null, note);
                }
            } catch (RedisException e) {
                lost(e);
            }
            dropIfEmpty(room, r);
        }
    }

    @Override
    public int relay(String room, String sender, Member from, String target, String text) {
        LocalRoom r = local.get(room);
        if (r == null) {
            return target == null ? 0 : UNKNOWN_TARGET;
        }
        synchronized (r) {
            if (target != null) {
                Member dst = r.members.get(target);
                if (dst != null) {
                    dst.deliver(text);
                    return 1;
                }
                try {
                    String entry = redis.hget(RedisLink.roomKey(room), target);
                    String server = entry == null ? null : RedisLink.Entry.serverOf(entry);
                    if (server == null || server.equals(id)) {
                        return UNKNOWN_TARGET;
                    }
                    publish(server, room, target, null, text);
                    return 1;
                } catch (RedisException e) {
                    lost(e);
                    return UNKNOWN_TARGET;
                }
            }
            int handed = 0;
            for (Member m : r.members.values()) {
                if (m != from) {
                    m.deliver(text);
                    handed++;
                }
            }
            try {
                Map<String, Integer> perServer = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : redis.hgetall(RedisLink.roomKey(room)).entrySet()) {
                    String server = RedisLink.Entry.serverOf(e.getValue());
                    if (!server.equals(id) && !e.getKey().equals(sender)) {
                        perServer.merge(server, 1, Integer::sum);
                    }
                }
                for (Map.Entry<String, Integer> e : perServer.entrySet()) {
                    publish(e.getKey(), room, null, sender, text);
                    handed += e.getValue();
                }
            } catch (RedisException e) {
                lost(e);
            }
            return handed;
        }
    }

    @Override
    public int roomCount() {
        return local.size();
    }

    @Override
    public Boolean sharedBackendUp() {
        return up.get() && !resyncNeeded;
    }

    /** How often this server re-registered its members (after Redis lost them). */
    long resyncCount() {
        return resyncs.get();
    }

    /** This server's id in Redis (for tests and logs). */
    String serverId() {
        return id;
    }

    private void dropIfEmpty(String room, LocalRoom r) {
        if (r.members.isEmpty()) {
            r.removed = true;
            local.remove(room, r);
        }
    }

    // ---------------------------------------------------------------- between servers

    /** Sends text to {@code server}'s members of {@code room}: {@code to} only, or all but {@code except}. */
    private void publish(String server, String room, String to, String except, String text) {
        // Asynchronous but in order: one connection keeps the order of what is written to it.
        redisAsync.publish(RedisLink.channel(server), new RedisLink.Envelope(room, to, except, text).encode()).whenComplete((n, err) -> {
            if (err instanceof RedisException re) {
                lost(re);
            } else if (err != null) {
                LOG.log(Level.FINE, "signaling: cannot publish to server " + server, err);
            }
        });
    }

    /** A message published for our members by another server. */
    private void receive(String envelope) {
        RedisLink.Envelope env = RedisLink.Envelope.decode(envelope);
        if (env == null) {
            return;
        }
        String room = env.room();
        String text = env.text();
        String to = env.to();
        String except = env.except();
        LocalRoom r = local.get(room);
        if (r == null) {
            return;
        }
        synchronized (r) {
            if (to != null) {
                Member m = r.members.get(to);
                if (m != null) {
                    m.deliver(text);
                }
                return;
            }
            for (Map.Entry<String, Member> e : r.members.entrySet()) {
                if (!e.getKey().equals(except)) {
                    e.getValue().deliver(text);
                }
            }
        }
    }

    // ---------------------------------------------------------------- heartbeat, loss and recovery

    private void beat() {
        if (closed.get()) {
            return;
        }
        try {
            String renewed = redis.set(RedisLink.aliveKey(id), "1", SetArgs.Builder.px(settings.memberTtl().toMillis()).xx());
            if (renewed == null) {
                resyncNeeded = true; // Redis restarted empty, or others took us for dead
            }
            if (resyncNeeded) {
                resync();
            }
            reapDead();
            if (up.compareAndSet(false, true)) {
                LOG.info(() -> "signaling: redis at " + settings.where() + " is back; rooms are shared again");
            }
        } catch (RedisException e) {
            lost(e);
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "signaling: redis heartbeat failed", e);
        }
    }

    private void lost(RedisException e) {
        resyncNeeded = true;
        if (!closed.get() && up.compareAndSet(true, false)) {
            LOG.warning(() -> "signaling: lost redis at " + settings.where() + " (" + RedisLink.describe(e)
                    + "); serving this server's clients only, reconnecting");
        }
    }

    /** Makes Redis hold exactly our current members again, after it may have lost or kept stale ones. */
    private void resync() {
        resyncNeeded = false;
        Long subscribed = redis.pubsubNumsub(RedisLink.channel(id)).get(RedisLink.channel(id));
        if (subscribed == null || subscribed == 0) {
            pubsub.sync().subscribe(RedisLink.channel(id));
        }
        renewAlive();
        redis.sadd(RedisLink.INSTANCES, id);
        redis.eval(RedisScripts.PURGE, ScriptOutputType.MULTI, new String[] {RedisLink.roomsKey(id)}, id, RedisLink.ROOM_PREFIX);
        int registered = 0;
        for (Map.Entry<String, LocalRoom> e : local.entrySet()) {
            String room = e.getKey();
            LocalRoom r = e.getValue();
            synchronized (r) {
                if (r.removed) {
                    continue;
                }
                for (String userId : r.members.keySet()) {
                    Long ok = redis.eval(RedisScripts.REGISTER, ScriptOutputType.INTEGER,
                            new String[] {RedisLink.roomKey(room), RedisLink.SEQ, RedisLink.roomsKey(id)}, userId, id, RedisLink.ALIVE_PREFIX, room);
                    if (ok != null && ok == 1) {
                        registered++;
                    } else {
                        LOG.warning(() -> "signaling: " + userId + " in room " + room
                                + " is also on another server now; the other one keeps the id");
                    }
                }
            }
        }
        resyncs.incrementAndGet();
        int n = registered;
        LOG.info(() -> "signaling: registered " + n + " member(s) of this server in redis again");
    }

    /** Removes the members of servers that stopped renewing their alive key, and tells their rooms. */
    private void reapDead() {
        for (String server : redis.smembers(RedisLink.INSTANCES)) {
            if (server.equals(id) || redis.exists(RedisLink.aliveKey(server)) > 0) {
                continue;
            }
            List<Object> gone = redis.eval(RedisScripts.REAP, ScriptOutputType.MULTI,
                    new String[] {RedisLink.INSTANCES, RedisLink.roomsKey(server), RedisLink.aliveKey(server)}, server, RedisLink.ROOM_PREFIX);
            if (gone.isEmpty()) {
                continue;
            }
            Set<String> others = redis.smembers(RedisLink.INSTANCES);
            for (int i = 0; i + 1 < gone.size(); i += 2) {
                String room = String.valueOf(gone.get(i));
                String userId = String.valueOf(gone.get(i + 1));
                LOG.info(() -> "signaling: " + userId + " left room " + room + " (its server " + server
                        + " stopped)");
                String note = Notes.userLeft(userId);
                deliverLocally(room, note);
                for (String other : others) {
                    if (!other.equals(id)) {
                        publish(other, room, null, null, note);
                    }
                }
            }
        }
    }

    private void deliverLocally(String room, String text) {
        LocalRoom r = local.get(room);
        if (r == null) {
            return;
        }
        synchronized (r) {
            for (Member m : r.members.values()) {
                m.deliver(text);
            }
        }
    }

    private void renewAlive() {
        redis.set(RedisLink.aliveKey(id), "1", SetArgs.Builder.px(settings.memberTtl().toMillis()));
    }

    // ---------------------------------------------------------------- shutdown

    /** Unregisters this server (best effort, Redis may be gone) and stops the client. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeat.shutdownNow();
        try {
            redis.eval(RedisScripts.PURGE, ScriptOutputType.MULTI, new String[] {RedisLink.roomsKey(id)}, id, RedisLink.ROOM_PREFIX);
            redis.del(RedisLink.aliveKey(id));
            redis.srem(RedisLink.INSTANCES, id);
        } catch (RedisException e) {
            LOG.fine(() -> "signaling: could not unregister from redis: " + RedisLink.describe(e));
        }
        stopClient();
    }

    /** Testing: stops like a killed process, leaving our members in Redis for the others to clean up. */
    void crash() {
        if (closed.compareAndSet(false, true)) {
            heartbeat.shutdownNow();
            stopClient();
        }
    }

    private void stopClient() {
        inbox.shutdownNow();
        link.close();
        local.clear();
    }
}
