package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The libraries' slf4j logs reach java.util.logging, and only with -vv. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoggingTest {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (isLoggable(r)) {
                records.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private void configure(int verbosity) {
        Logging.configure(verbosity);
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h); // keep the test's output clean; the levels are what is under test
        }
        recorder.setLevel(Level.ALL);
        root.addHandler(recorder);
    }

    @AfterEach
    void reset() {
        Logger.getLogger("").removeHandler(recorder);
        Logging.configure(0);
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
    }

    @Test
    void defaultRunHearsNothingFromTheLibraries() {
        configure(0);
        LoggerFactory.getLogger("org.java_websocket.server.WebSocketServer").error("socket trouble");
        LoggerFactory.getLogger("io.lettuce.core.RedisClient").warn("redis trouble");
        LoggerFactory.getLogger("io.netty.channel.ChannelPipeline").warn("netty trouble");
        assertTrue(records.isEmpty(), records.toString());
        assertEquals(Level.OFF, Logging.libraryLevel("org.java_websocket.WebSocketImpl"));
    }

    @Test
    void oneVStillHidesTheLibraries() {
        configure(1);
        LoggerFactory.getLogger("org.java_websocket.WebSocketImpl").warn("socket trouble");
        assertTrue(records.isEmpty(), records.toString());
    }

    @Test
    void twoVsShowJavaWebSocketAndLettuceThroughSlf4j() {
        configure(2);
        LoggerFactory.getLogger("org.java_websocket.WebSocketImpl").debug("frame sent");
        LoggerFactory.getLogger("io.lettuce.core.RedisClient").debug("connecting");
        LoggerFactory.getLogger("io.netty.buffer.PooledByteBufAllocator").debug("per-buffer noise");
        assertEquals(List.of("frame sent", "connecting"), records.stream().map(LogRecord::getMessage).toList());
    }

    @Test
    void rtcatsOwnWarningsStillShowByDefault() {
        configure(0);
        Logger.getLogger("io.rtcat.signaling.SignalingServer").warning("rtcat's own");
        assertEquals(1, records.size(), records.toString());
    }
}
