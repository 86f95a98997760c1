package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.errors.RtcatException;
import io.rtcat.signaling.MetricsServer;
import io.rtcat.signaling.PemTls;
import io.rtcat.signaling.RedisSettings;
import io.rtcat.signaling.ServerOptions;
import io.rtcat.signaling.SignalingProtocol;
import io.rtcat.signaling.SignalingServer;
import io.rtcat.signaling.TrustedProxies;
import io.rtcat.signaling.TurnCredentials;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "signal", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Run a standalone WebSocket signaling server for rtcat peers and browsers.",
            "",
            "Peers connect to ws://HOST:PORT/ (wss:// with --tls-cert/--tls-key), join a room under a user id and "
                    + "exchange offers, answers and ICE candidates through it; the server only relays JSON "
                    + "messages and never sees the data. The protocol is the common browser WebRTC tutorial one "
                    + "({\"type\":\"join\",\"room\":R,\"userId\":U}, offer/answer/ice-candidate with optional "
                    + "\"target\"), so web pages can use the same server.",
            "",
            "Browser peers: plain http(s) requests to the same port get rtcat's own web page (http://HOST:PORT/), "
                    + "which sends to and receives from rtcat with the same code phrase, PAKE and file protocol; "
                    + "`rtcat send --signal` prints its link.",
            "",
            // the codes come from SignalingProtocol, where the server takes them, so the help cannot drift
            "Hardening: with --token (or $RTCAT_SIGNAL_TOKEN) clients must add ?token=SECRET to the url; "
                    + "others are closed with code " + SignalingProtocol.CLOSE_UNAUTHORIZED + "; silent connections "
                    + "are closed after --idle-timeout (" + SignalingProtocol.CLOSE_IDLE + "); "
                    + "each IP may hold --max-connections-per-ip connections and each connection may send --rate "
                    + "messages per second (bursts of 4x), else " + SignalingProtocol.CLOSE_TOO_MANY + " or an error \""
                    + SignalingProtocol.ERR_RATE_LIMITED + "\"; messages over --max-message-size close the connection ("
                    + SignalingProtocol.CLOSE_MESSAGE_TOO_BIG + "); a connection must join a room within "
                    + "--handshake-timeout (" + SignalingProtocol.CLOSE_JOIN_TIMEOUT + ") and one IP's connections "
                    + "may be in --max-rooms-per-ip rooms (error \"" + SignalingProtocol.ERR_TOO_MANY_ROOMS + "\"); a "
                    + "member that does not read is cut (" + SignalingProtocol.CLOSE_SLOW_READER + " slow reader) once "
                    + "4 x --max-message-size (at least 256 KiB) waits for it. Joins and leaves are logged on stderr.",
            "",
            "TURN: with --turn-secret-file (coturn's static-auth-secret) and --turn-url, every join is answered with "
                    + "TURN credentials valid for --turn-ttl, which rtcat clients (and browsers) use on their own; it "
                    + "needs --token or --secret-file (or --turn-for-anyone), and one address gets at most 20 in a "
                    + "row, then one per 30 s.",
            "",
            "Several servers: with --redis redis://HOST:PORT[/DB] (the same on every server) room membership and "
                    + "relaying go through Redis, so peers on different servers behind one load balancer meet. "
                    + "Redis unreachable at start: exit 69. Lost while running: each server keeps serving its own "
                    + "clients, logs a warning, reconnects, and re-registers its members when Redis is back.",
            "",
            "Observability: --metrics-port serves /metrics (Prometheus text: connections, rooms, relayed messages, "
                    + "rejections by reason, relay time histogram) and /healthz (200 ok; 503 while stopping, under heap pressure or when relaying stalls).",
            "",
            "Runs until Ctrl-C (exit 130) or SIGTERM (clean shutdown, exit 143, the JVM's code for SIGTERM).",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rtcat signal                              all interfaces, port 8765",
            "  rtcat signal --bind 127.0.0.1 -p 9000     only this machine",
            "  RTCAT_SIGNAL_TOKEN=s3cret rtcat signal    clients add ?token=s3cret",
            "  rtcat signal -p 443 --tls-cert fullchain.pem --tls-key privkey.pem",
            "  rtcat signal --port 0 --json | jq .port   pick a free port, print it",
            "  rtcat signal --metrics-port 9100          curl http://127.0.0.1:9100/metrics",
            "  rtcat signal --secret-file join.secret \\",
            "      --turn-secret-file /etc/rtcat/turn.secret \\",
            "      --turn-url turn:turn.example.org:3478",
            "  rtcat signal --redis redis://10.0.0.5:6379/0",
            "      one of several servers sharing rooms",
        })
final class SignalCommand extends BaseCommand {

    static final String TOKEN_ENV = "RTCAT_SIGNAL_TOKEN";
    static final String REDIS_ENV = "RTCAT_SIGNAL_REDIS";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final long SHUTDOWN_WAIT_SECONDS = 5;
    /** Kept strongly so that the level set on it survives (LogManager holds loggers weakly). */
    private static final Logger SIGNALING_LOG = Logger.getLogger("io.rtcat.signaling");

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "8765",
            converter = Converters.Port.class,
            description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address to listen on: 0.0.0.0 (all IPv4), ::, 127.0.0.1... (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "Admit only peers with a join token signed by this secret (see `rtcat token`): "
                    + "one room each, until it expires.")
    Path secretFile;

    @Mixin
    TurnSecretOptions turn;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain (leaf first) to serve wss://; needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key (PKCS#8, '-----BEGIN PRIVATE KEY-----') for --tls-cert.")
    Path tlsKey;

    @Option(names = "--token", paramLabel = "SECRET",
            description = "Shared secret clients must send as ?token=SECRET (default: $" + TOKEN_ENV
                    + ", which keeps it out of ps). Never printed.")
    String token;

    @Option(names = "--room-capacity", paramLabel = "N", defaultValue = "8",
            converter = RoomCapacity.class,
            description = "Most members per room (default: ${DEFAULT-VALUE}).")
    int roomCapacity;

    @Option(names = "--max-message-size", paramLabel = "SIZE", defaultValue = "64K",
            converter = MaxMessageSize.class,
            description = "Largest message accepted; bigger closes the connection with 1009 (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "300",
            converter = IdleTimeout.class,
            description = "Close a connection that sends nothing for this long; 0 never (default: ${DEFAULT-VALUE}).")
    int idleTimeoutSeconds;

    @Option(names = "--max-connections-per-ip", paramLabel = "N", defaultValue = "50",
            converter = NotNegative.class,
            description = "Most simultaneous connections from one IP address; 0 unlimited (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerIp;

    @Option(names = "--max-rooms-per-ip", paramLabel = "N", defaultValue = "20",
            converter = MaxRoomsPerIp.class,
            description = "Most distinct rooms the connections from one IP address may be in at once; a further "
                    + "join gets error too-many-rooms; 0 unlimited (default: ${DEFAULT-VALUE}).")
    int maxRoomsPerIp;

    @Option(names = "--trusted-proxy", paramLabel = "ADDRESS",
            description = "A reverse proxy in front of this server (IP or CIDR, e.g. 127.0.0.1 or 10.0.0.0/8; "
                    + "repeatable): for connections from it, the per-IP limits count the client named in its "
                    + "X-Forwarded-For header instead of the proxy.")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", defaultValue = "10",
            converter = Converters.TimeoutSeconds.class,
            description = "Drop a connection that has not finished the WebSocket handshake, or close one ("
                    + SignalingProtocol.CLOSE_JOIN_TIMEOUT + ") "
                    + "that has not joined a room, this long after it connected: 1-3600 (default: ${DEFAULT-VALUE}).")
    int handshakeTimeoutSeconds;

    @Option(names = "--rate", paramLabel = "LIMIT", defaultValue = "50",
            converter = Rate.class,
            description = "Messages per second per connection, bursts of 4x allowed; 0 unlimited "
                    + "(default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            converter = Converters.Port.class,
            description = "Also serve GET /metrics (Prometheus text) and GET /healthz over HTTP on this port; "
                    + "0 picks a free one (default: off).")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address for --metrics-port; keep it private, metrics need no token "
                    + "(default: ${DEFAULT-VALUE}).")
    String metricsBind;

    @Option(names = "--redis", paramLabel = "URL",
            description = "Share rooms with every other rtcat signal on this Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] "
                    + "or rediss:// for TLS (default: $" + REDIS_ENV + ", which keeps a password out of ps; "
                    + "unset: rooms live in this process only).")
    String redis;

    @Option(names = "--redis-ttl", paramLabel = "SECONDS", hidden = true, defaultValue = "10",
            converter = Converters.TimeoutSeconds.class,
            description = "How long a dead server's members stay in Redis before the others drop them "
                    + "(renewed every fifth of it; default: ${DEFAULT-VALUE}).")
    int redisTtlSeconds;

    @Option(names = "--run-for", paramLabel = "SECONDS", hidden = true,
            converter = NotNegative.class,
            description = "Testing: stop by itself after this many seconds and exit 0.")
    Integer runForSeconds;

    @Override
    int execute() throws RtcatException {
        ServerOptions opts = options();
        InetAddress address = bindAddress();
        InetAddress metricsAddress = metricsPort == null ? null : metricsAddress();
        RedisSettings shared = redisSettings();
        if (shared != null) {
            showSignalingLog(); // the redis connection logs from the start
        }
        SignalingServer server = SignalingServer.start(new InetSocketAddress(address, port), opts, shared,
                START_TIMEOUT);
        MetricsServer metrics = null;
        if (metricsAddress != null) {
            try {
                metrics = MetricsServer.start(new InetSocketAddress(metricsAddress, metricsPort), server);
            } catch (RtcatException e) {
                server.close();
                throw e;
            }
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // SIGTERM / Ctrl-C: let execute() close the server, but never hold up the exit for long.
            stop.countDown();
            try {
                stopped.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rtcat-signal-shutdown");
        boolean hookInstalled = false;
        Runnable drain = stop::countDown; // SIGTERM/SIGINT: stop accepting, close every room, exit 0
        Interrupts.onSignal(drain);
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            hookInstalled = true;
            String url = (opts.tls() ? "wss" : "ws") + "://" + urlHost(address) + ":" + server.port() + "/";
            showSignalingLog();
            note("rtcat signal: listening on " + url + " (rooms of up to " + opts.roomCapacity()
                    + (opts.token() == null ? "" : ", token required")
                    + (opts.joinSecret() == null ? "" : ", signed join tokens required")
                    + (opts.turn() == null ? "" : ", handing out TURN credentials for " + String.join(" ", opts.turn().urls()))
                    + (shared == null ? "" : ", shared through " + shared.where()) + ")");
            note("rtcat signal: web page for browser peers at " + (opts.tls() ? "https" : "http") + "://"
                    + urlHost(address) + ":" + server.port() + "/"
                    + (opts.tls() ? "" : " (plain http: anyone who can alter traffic on the way can serve an altered "
                            + "page that takes the files; use --tls-cert beyond a network you trust)"));
            if (metrics != null) {
                note("rtcat signal: metrics on " + metrics.uri() + "metrics, health on " + metrics.uri()
                        + "healthz");
            }
            if (global.json) {
                ObjectNode doc = JsonDocument.create();
                doc.put("listening", url);
                doc.put("port", server.port());
                if (metrics != null) {
                    doc.put("metrics", metrics.uri() + "metrics");
                    doc.put("metrics_port", metrics.port());
                }
                console.out.println(doc.toString());
                console.out.flush();
            }
            if (runForSeconds != null) {
                stop.await(runForSeconds, TimeUnit.SECONDS);
            } else {
                stop.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            debug("already shutting down: " + e.getMessage());
        } finally {
            Interrupts.removeListener(drain);
            Thread.interrupted(); // a signal interrupted the wait above; closing must still wait for the clients
            server.close(); // /healthz answers 503 while the connections are being closed
            if (metrics != null) {
                metrics.close();
            }
            stopped.countDown();
            if (hookInstalled) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // The JVM is already shutting down (the hook is running); nothing to undo.
                }
            }
        }
        note("rtcat signal: stopped");
        return ExitCode.OK;
    }

    private ServerOptions options() throws RtcatException {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw UsageErrors.error("--tls-cert and --tls-key go together: pass both for wss://, or neither for "
                    + "ws://");
        }
        String secret = token;
        if (secret == null) {
            String env = System.getenv(TOKEN_ENV);
            secret = env == null || env.isEmpty() ? null : env;
        } else if (secret.isEmpty()) {
            throw UsageErrors.error("invalid --token: must not be empty");
        }
        if (secretFile != null && secret != null) {
            throw UsageErrors.error("--secret-file and --token cannot be combined: signed join tokens replace the "
                    + "shared token");
        }
        TrustedProxies proxies;
        try {
            proxies = TrustedProxies.parse(trustedProxies);
        } catch (IllegalArgumentException e) {
            throw UsageErrors.error("invalid --trusted-proxy: " + e.getMessage());
        }
        TurnCredentials turnCredentials = turn.parse(secret != null || secretFile != null);
        byte[] joinSecret = secretFile == null ? null : SecretFile.read(secretFile);
        SSLContext tls = tlsCert == null ? null : PemTls.serverContext(tlsCert, tlsKey);
        return ServerOptions.defaults()
                .withRoomCapacity(roomCapacity)
                .withMaxMessageBytes(maxMessageBytes)
                .withIdleTimeoutSeconds(idleTimeoutSeconds)
                .withMaxConnectionsPerIp(maxConnectionsPerIp)
                .withRateLimit(rate, Math.max(1, rate * 4))
                .withToken(secret)
                .withJoinSecret(joinSecret)
                .withTurn(turnCredentials)
                .withMaxRoomsPerIp(maxRoomsPerIp)
                .withHandshakeTimeoutSeconds(handshakeTimeoutSeconds)
                .withTrustedProxies(proxies)
                .withSslContext(tls);
    }

    private RedisSettings redisSettings() throws RtcatException {
        String redis = this.redis;
        if (redis == null) {
            String env = System.getenv(REDIS_ENV);
            redis = env == null || env.isBlank() ? null : env.trim();
        }
        if (redis == null) {
            return null;
        }
        URI url;
        try {
            url = new URI(redis);
        } catch (URISyntaxException e) {
            throw UsageErrors.error("invalid --redis url: not a url; expected redis://HOST:PORT[/DB]");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw UsageErrors.error("invalid --redis url: scheme must be redis:// or rediss://, e.g. redis://127.0.0.1:6379/0");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw UsageErrors.error("invalid --redis url: no host; expected redis://HOST:PORT[/DB]");
        }
        String path = url.getPath() == null ? "" : url.getPath();
        if (!path.isEmpty() && !path.equals("/") && !path.matches("/\\d{1,5}")) {
            throw UsageErrors.error("invalid --redis url: the path must be a database number, e.g. redis://" + url.getHost()
                    + ":6379/0");
        }
        return new RedisSettings(url, Duration.ofSeconds(redisTtlSeconds));
    }

    private InetAddress bindAddress() throws RtcatException {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException | SecurityException e) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --bind " + bind + ": unknown host",
                    "use an address of this machine, e.g. 0.0.0.0 or 127.0.0.1");
        }
    }

    private InetAddress metricsAddress() throws RtcatException {
        try {
            return InetAddress.getByName(metricsBind);
        } catch (UnknownHostException | SecurityException e) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid --metrics-bind " + metricsBind
                    + ": unknown host", "use an address of this machine, e.g. 127.0.0.1");
        }
    }

    private String urlHost(InetAddress address) {
        String text = bind.isEmpty() ? address.getHostAddress() : bind;
        return address instanceof Inet6Address && text.indexOf(':') >= 0 && !text.startsWith("[")
                ? "[" + text + "]" : text;
    }

    /** Joins, leaves and rejections (INFO) on stderr, unless --quiet; other loggers stay at their level. */
    private void showSignalingLog() {
        if (global.quiet || global.verbosity() > 0) {
            return;
        }
        SIGNALING_LOG.setLevel(Level.INFO);
        for (Handler h : Logger.getLogger("").getHandlers()) {
            if (h.getLevel().intValue() > Level.INFO.intValue()) {
                h.setLevel(Level.INFO);
            }
        }
    }

    static final class RoomCapacity extends Converters.IntRange {
        RoomCapacity() {
            super(1, 10_000, "must be 1-10000");
        }
    }

    static final class MaxMessageSize implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            return (int) Converters.sizeIn(v, 256, 64L << 20, "must be 256 bytes to 64M");
        }
    }

    static final class IdleTimeout extends Converters.IntRange {
        IdleTimeout() {
            super(0, 86_400, "must be 0-86400 seconds");
        }
    }

    static final class NotNegative extends Converters.IntRange {
        NotNegative() {
            super(0, Integer.MAX_VALUE, "must not be negative");
        }
    }

    static final class MaxRoomsPerIp extends Converters.IntRange {
        MaxRoomsPerIp() {
            super(0, 1_000_000, "must be 0-1000000 (0 unlimited)");
        }
    }

    static final class Rate extends Converters.IntRange {
        Rate() {
            super(0, 1_000_000, "must be 0-1000000 messages per second");
        }
    }
}
