package io.rtcat.signaling;

/**
 * The Lua scripts {@link RedisRooms} runs in Redis, so that each membership decision is atomic across
 * servers. Data layout (prefix {@code rtcat:signal:}):
 * <pre>
 *   room:ROOM        hash   userId -> "SEQ INSTANCE"   (SEQ from the seq counter: join order)
 *   seq              string join counter
 *   alive:INSTANCE   string set with a TTL, renewed by the instance's heartbeat
 *   rooms:INSTANCE   set    rooms where INSTANCE may have members (for clean-up)
 *   instances        set    instances that registered (to find dead ones)
 *   to:INSTANCE      pub/sub channel of messages for INSTANCE's members
 * </pre>
 * An entry whose instance has no alive key belongs to a dead server: joins ignore it, and the first
 * live server to notice removes it and tells the rest of the room.
 */
final class RedisScripts {

    private RedisScripts() {
    }

    /** Instance of an entry value "SEQ INSTANCE". */
    private static final String INSTANCE_OF = "local function inst(v) return string.match(v, ' (.*)$') end\n";

    /**
     * KEYS: room hash, seq counter, my rooms set. ARGV: userId, my instance, capacity, alive-key prefix,
     * room name. Returns {"taken"}, {"full"} or {"ok", user1, value1, ...} with the live others.
     */
    static final String JOIN = INSTANCE_OF + """
            local entries = redis.call('HGETALL', KEYS[1])
            local alive = {}
            alive[ARGV[2]] = true
            local live = {}
            for i = 1, #entries, 2 do
              local owner = inst(entries[i + 1])
              if alive[owner] == nil then
                alive[owner] = redis.call('EXISTS', ARGV[4] .. owner) == 1
              end
              if alive[owner] then
                if entries[i] == ARGV[1] then return {'taken'} end
                table.insert(live, entries[i])
                table.insert(live, entries[i + 1])
              end
            end
            if #live / 2 >= tonumber(ARGV[3]) then return {'full'} end
            local seq = redis.call('INCR', KEYS[2])
            redis.call('HSET', KEYS[1], ARGV[1], seq .. ' ' .. ARGV[2])
            redis.call('SADD', KEYS[3], ARGV[5])
            local out = {'ok'}
            for _, v in ipairs(live) do table.insert(out, v) end
            return out
            """;

    /**
     * KEYS: room hash, my rooms set. ARGV: userId, my instance, room name. Removes the entry if it is
     * mine; returns the remaining values (to find the instances to tell).
     */
    static final String LEAVE = INSTANCE_OF + """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if v and inst(v) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
            local rest = redis.call('HVALS', KEYS[1])
            for _, r in ipairs(rest) do
              if inst(r) == ARGV[2] then return rest end
            end
            redis.call('SREM', KEYS[2], ARGV[3])
            return rest
            """;

    /**
     * KEYS: room hash, seq counter, my rooms set. ARGV: userId, my instance, alive-key prefix, room name.
     * Re-registers a member after Redis lost it; returns 0 if a live server holds the id meanwhile.
     */
    static final String REGISTER = INSTANCE_OF + """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if v and inst(v) ~= ARGV[2] and redis.call('EXISTS', ARGV[3] .. inst(v)) == 1 then return 0 end
            local seq = redis.call('INCR', KEYS[2])
            redis.call('HSET', KEYS[1], ARGV[1], seq .. ' ' .. ARGV[2])
            redis.call('SADD', KEYS[3], ARGV[4])
            return 1
            """;

    /**
     * KEYS: the instance's rooms set. ARGV: the instance, room-key prefix. Removes all of the instance's
     * entries; returns {room1, user1, room2, user2, ...} of what it removed.
     */
    static final String PURGE = INSTANCE_OF + purge("KEYS[1]");

    /**
     * KEYS: instances set, the dead instance's rooms set, its alive key. ARGV: the instance, room-key
     * prefix. Only the first caller that finds it dead (and not renewed meanwhile) gets its members back.
     */
    static final String REAP = INSTANCE_OF + """
            if redis.call('EXISTS', KEYS[3]) == 1 then return {} end
            if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return {} end
            """ + purge("KEYS[2]");

    private static String purge(String roomsSetKey) {
        return """
                local out = {}
                for _, room in ipairs(redis.call('SMEMBERS', ROOMS)) do
                  local key = ARGV[2] .. room
                  local entries = redis.call('HGETALL', key)
                  for i = 1, #entries, 2 do
                    if inst(entries[i + 1]) == ARGV[1] then
                      redis.call('HDEL', key, entries[i])
                      table.insert(out, room)
                      table.insert(out, entries[i])
                    end
                  end
                end
                redis.call('DEL', ROOMS)
                return out
                """.replace("ROOMS", roomsSetKey);
    }
}
