package io.rtcat.session;

import io.rtcat.errors.RtcatException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where peers may meet and which ICE servers they use when the user types no address: trackers, ICE URLs and a
 * default signaling server, from (highest first) command-line flags, environment variables
 * ({@code RTCAT_TRACKERS}, {@code RTCAT_ICE}, {@code RTCAT_SIGNAL}, {@code RTCAT_OFFLINE}), the config file
 * ({@code $XDG_CONFIG_HOME/rtcat/config}, else {@code ~/.config/rtcat/config}) and the built-in public defaults.
 * The flags are applied by the CLI on top of this; here are the other three layers.
 *
 * <p>The config file holds {@code key = value} lines; {@code #} starts a comment line. Keys: {@code trackers}
 * and {@code ice} (comma-separated lists), {@code signal} (a ws:// or wss:// URL), {@code offline}
 * ({@code true}/{@code false}). An empty value means "none" (so {@code trackers =} turns the public list off),
 * and so does an empty environment variable.
 *
 * <p>The public defaults (two STUN servers, a list of WebTorrent trackers) are used only when neither the
 * environment nor the file names any, and never offline. They are strangers' machines: trackers see the
 * nameplate-derived swarm id and the SDP (addresses), never the code's words or the data.
 *
 * @param trackers     WebTorrent tracker URLs to race (may be empty)
 * @param trackersFrom where the trackers came from, for the user: "RTCAT_TRACKERS", "/home/u/.config/rtcat/config:3",
 *                     "built-in public list", "none (offline)"
 * @param ice          ICE URLs as the user typed them (same grammar as --ice), from the environment or file
 * @param iceFrom      where {@code ice} came from, or null when nothing configured them
 * @param publicStun   the built-in public STUN servers: only for internet rendezvous, only when {@code ice} is unset
 * @param signal       a default --signal, or null
 * @param signalFrom   where {@code signal} came from, or null
 * @param offline      no public default is used
 */
public record RendezvousSettings(List<URI> trackers, String trackersFrom, List<String> ice, String iceFrom,
        List<String> publicStun, URI signal, String signalFrom, boolean offline) {

    /** Public STUN servers (Google's and Cloudflare's); never TURN, which only comes from the user. */
    public static final List<String> PUBLIC_STUN = List.of("stun:stun.l.google.com:19302",
            "stun:stun.cloudflare.com:3478");

    /** Public WebTorrent trackers that speak the WebSocket protocol. */
    public static final List<URI> PUBLIC_TRACKERS = List.of(URI.create("wss://tracker.openwebtorrent.com/"),
            URI.create("wss://tracker.webtorrent.dev/"), URI.create("wss://tracker.btorrent.xyz/"),
            URI.create("wss://tracker.files.fm:7073/announce"));

    public static final String ENV_TRACKERS = "RTCAT_TRACKERS";
    public static final String ENV_ICE = "RTCAT_ICE";
    public static final String ENV_SIGNAL = "RTCAT_SIGNAL";
    public static final String ENV_OFFLINE = "RTCAT_OFFLINE";

    public RendezvousSettings {
        trackers = List.copyOf(trackers);
        ice = List.copyOf(ice);
        publicStun = List.copyOf(publicStun);
    }

    /** Reads the environment and the config file; {@code offlineFlag} is --offline. */
    public static RendezvousSettings load(Map<String, String> env, boolean offlineFlag) throws RtcatException {
        Path file = configFile(env);
        return resolve(env, file == null ? Map.of() : readFile(file), offlineFlag);
    }

    /** The config file's path: {@code $XDG_CONFIG_HOME/rtcat/config} or {@code $HOME/.config/rtcat/config}. */
    public static Path configFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "rtcat", "config");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return home == null ? null : Path.of(home, ".config", "rtcat", "config");
    }

    /** One value of the config file and where it stands ("FILE:LINE"), for messages. */
    public record FileValue(String value, String where) {
    }

    /** Reads a config file; a missing file is an empty one. Errors name the file and line. */
    public static Map<String, FileValue> readFile(Path file) throws RtcatException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new RtcatException(RtcatException.Kind.USAGE, "cannot read the config file " + file + ": " + e);
        }
        return parse(lines, file.toString());
    }

    /** Parses {@code key = value} lines; {@code name} is the file name for messages. */
    public static Map<String, FileValue> parse(List<String> lines, String name) throws RtcatException {
        Map<String, FileValue> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = name + ":" + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw fileError(where, "expected KEY = VALUE");
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).strip();
            if (!List.of("trackers", "ice", "signal", "offline").contains(key)) {
                throw fileError(where, "unknown key '" + key + "' (known: trackers, ice, signal, offline)");
            }
            if (values.containsKey(key)) {
                throw fileError(where, "'" + key + "' is already set on " + values.get(key).where());
            }
            values.put(key, new FileValue(value, where));
        }
        return values;
    }

    /** Applies environment over file over built-in defaults. */
    public static RendezvousSettings resolve(Map<String, String> env, Map<String, FileValue> file, boolean offlineFlag)
            throws RtcatException {
        boolean offline = offlineFlag || truthy(env.get(ENV_OFFLINE), ENV_OFFLINE)
                || (file.containsKey("offline") && truthy(file.get("offline").value(), file.get("offline").where()));

        List<URI> trackers;
        String trackersFrom;
        if (env.containsKey(ENV_TRACKERS)) {
            trackers = trackerList(env.get(ENV_TRACKERS), ENV_TRACKERS);
            trackersFrom = ENV_TRACKERS;
        } else if (file.containsKey("trackers")) {
            FileValue v = file.get("trackers");
            trackers = trackerList(v.value(), v.where());
            trackersFrom = v.where();
        } else if (offline) {
            trackers = List.of();
            trackersFrom = "none (offline)";
        } else {
            trackers = PUBLIC_TRACKERS;
            trackersFrom = "built-in public list";
        }

        List<String> ice = List.of();
        String iceFrom = null;
        if (env.containsKey(ENV_ICE)) {
            ice = list(env.get(ENV_ICE));
            iceFrom = ENV_ICE;
        } else if (file.containsKey("ice")) {
            ice = list(file.get("ice").value());
            iceFrom = file.get("ice").where();
        }
        List<String> publicStun = iceFrom == null && !offline ? PUBLIC_STUN : List.of();

        URI signal = null;
        String signalFrom = null;
        String signalText = env.containsKey(ENV_SIGNAL) ? env.get(ENV_SIGNAL)
                : file.containsKey("signal") ? file.get("signal").value() : null;
        if (signalText != null && !signalText.isBlank()) {
            signalFrom = env.containsKey(ENV_SIGNAL) ? ENV_SIGNAL : file.get("signal").where();
            signal = webSocketUrl(signalText.strip(), signalFrom);
        }
        return new RendezvousSettings(trackers, trackersFrom, ice, iceFrom, publicStun, signal, signalFrom, offline);
    }

    /** Settings with nothing configured and nothing public: for tests and embedders. */
    public static RendezvousSettings none() {
        return new RendezvousSettings(List.of(), "none", List.of(), null, List.of(), null, null, true);
    }

    /** Whether internet rendezvous (trackers) are in play, which calls for longer nameplates. */
    public boolean usesTrackers() {
        return !trackers.isEmpty();
    }

    private static List<String> list(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static List<URI> trackerList(String text, String where) throws RtcatException {
        List<URI> out = new ArrayList<>();
        for (String s : list(text)) {
            out.add(webSocketUrl(s, where));
        }
        return out;
    }

    private static URI webSocketUrl(String s, String where) throws RtcatException {
        try {
            URI uri = new URI(s);
            String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
            if ((scheme.equals("ws") || scheme.equals("wss")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new RtcatException(RtcatException.Kind.USAGE, where + ": invalid URL '" + s
                + "': expected ws://HOST[:PORT]/ or wss://HOST[:PORT]/");
    }

    private static boolean truthy(String value, String where) throws RtcatException {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "", "0", "false", "no", "off" -> false;
            default -> throw new RtcatException(RtcatException.Kind.USAGE, where + ": expected true or false, not '"
                    + value.strip() + "'");
        };
    }

    private static RtcatException fileError(String where, String why) {
        return new RtcatException(RtcatException.Kind.USAGE, "config file " + where + ": " + why,
                "lines are KEY = VALUE with keys trackers, ice, signal, offline; see the README");
    }
}
