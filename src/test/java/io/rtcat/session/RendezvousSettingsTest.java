package io.rtcat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendezvousSettingsTest {

    @TempDir
    Path tmp;

    private static Map<String, RendezvousSettings.FileValue> file(String... lines) throws RtcatException {
        return RendezvousSettings.parse(List.of(lines), "cfg");
    }

    @Test
    void withNothingConfiguredThePublicDefaultsApply() throws Exception {
        RendezvousSettings s = RendezvousSettings.resolve(Map.of(), Map.of(), false);
        assertEquals(RendezvousSettings.PUBLIC_TRACKERS, s.trackers());
        assertEquals("built-in public list", s.trackersFrom());
        assertEquals(RendezvousSettings.PUBLIC_STUN, s.publicStun());
        assertEquals(List.of(), s.ice());
        assertNull(s.signal());
        assertTrue(s.usesTrackers());
    }

    @Test
    void offlineUsesNoPublicDefault() throws Exception {
        for (RendezvousSettings s : List.of(RendezvousSettings.resolve(Map.of(), Map.of(), true),
                RendezvousSettings.resolve(Map.of("RTCAT_OFFLINE", "1"), Map.of(), false),
                RendezvousSettings.resolve(Map.of(), file("offline = true"), false))) {
            assertEquals(List.of(), s.trackers());
            assertEquals(List.of(), s.publicStun());
            assertTrue(s.offline());
            assertFalse(s.usesTrackers());
        }
    }

    @Test
    void offlineStillUsesWhatTheUserConfigured() throws Exception {
        RendezvousSettings s = RendezvousSettings.resolve(Map.of("RTCAT_TRACKERS", "ws://10.0.0.1:8000"),
                Map.of(), true);
        assertEquals(List.of(URI.create("ws://10.0.0.1:8000")), s.trackers());
    }

    @Test
    void environmentBeatsTheFileWhichBeatsTheDefaults() throws Exception {
        var f = file("# mine", "trackers = wss://file.example/", "ice = stun:file.example:3478",
                "signal = wss://signal.file.example/");
        RendezvousSettings fromFile = RendezvousSettings.resolve(Map.of(), f, false);
        assertEquals(List.of(URI.create("wss://file.example/")), fromFile.trackers());
        assertEquals("cfg:2", fromFile.trackersFrom());
        assertEquals(List.of("stun:file.example:3478"), fromFile.ice());
        assertEquals(List.of(), fromFile.publicStun(), "configured ICE replaces the public STUN servers");
        assertEquals(URI.create("wss://signal.file.example/"), fromFile.signal());

        RendezvousSettings fromEnv = RendezvousSettings.resolve(Map.of("RTCAT_TRACKERS",
                "ws://a.example:8000, wss://b.example/", "RTCAT_ICE", "stun:env.example",
                "RTCAT_SIGNAL", "ws://env.example:8765/"), f, false);
        assertEquals(List.of(URI.create("ws://a.example:8000"), URI.create("wss://b.example/")), fromEnv.trackers());
        assertEquals("RTCAT_TRACKERS", fromEnv.trackersFrom());
        assertEquals(List.of("stun:env.example"), fromEnv.ice());
        assertEquals("RTCAT_ICE", fromEnv.iceFrom());
        assertEquals(URI.create("ws://env.example:8765/"), fromEnv.signal());
    }

    @Test
    void anEmptyValueMeansNoneAndTurnsThePublicListOff() throws Exception {
        RendezvousSettings env = RendezvousSettings.resolve(Map.of("RTCAT_TRACKERS", "", "RTCAT_ICE", ""), Map.of(),
                false);
        assertEquals(List.of(), env.trackers());
        assertEquals(List.of(), env.publicStun());
        RendezvousSettings f = RendezvousSettings.resolve(Map.of(), file("trackers =", "ice="), false);
        assertEquals(List.of(), f.trackers());
        assertEquals(List.of(), f.publicStun());
    }

    @Test
    void badTrackerUrlsAreUsageErrorsNamingWhereTheyCameFrom() {
        RtcatException e = assertThrows(RtcatException.class,
                () -> RendezvousSettings.resolve(Map.of("RTCAT_TRACKERS", "http://t.example/"), Map.of(), false));
        assertEquals(RtcatException.Kind.USAGE, e.kind());
        assertEquals("RTCAT_TRACKERS: invalid URL 'http://t.example/': expected ws://HOST[:PORT]/ or "
                + "wss://HOST[:PORT]/", e.getMessage());
        RtcatException f = assertThrows(RtcatException.class,
                () -> RendezvousSettings.resolve(Map.of(), file("", "signal = tcp://x"), false));
        assertTrue(f.getMessage().startsWith("cfg:2: invalid URL 'tcp://x'"), f.getMessage());
    }

    @Test
    void fileErrorsNameTheFileAndLine() {
        assertEquals("config file cfg:3: unknown key 'tracker' (known: trackers, ice, signal, offline)",
                assertThrows(RtcatException.class, () -> file("# c", "", "tracker = wss://x/")).getMessage());
        assertEquals("config file cfg:1: expected KEY = VALUE",
                assertThrows(RtcatException.class, () -> file("wss://x/")).getMessage());
        assertEquals("config file cfg:2: 'ice' is already set on cfg:1",
                assertThrows(RtcatException.class, () -> file("ice = stun:a", "ice = stun:b")).getMessage());
        RtcatException bool = assertThrows(RtcatException.class,
                () -> RendezvousSettings.resolve(Map.of(), file("offline = maybe"), false));
        assertEquals("cfg:1: expected true or false, not 'maybe'", bool.getMessage());
    }

    @Test
    void theConfigFileLivesUnderXdgConfigHomeElseHome() throws Exception {
        assertEquals(Path.of("/x/rtcat/config"), RendezvousSettings.configFile(Map.of("XDG_CONFIG_HOME", "/x",
                "HOME", "/h")));
        assertEquals(Path.of("/h/.config/rtcat/config"), RendezvousSettings.configFile(Map.of("HOME", "/h")));
        Path dir = Files.createDirectories(tmp.resolve("rtcat"));
        Files.writeString(dir.resolve("config"), "trackers = ws://10.1.2.3:8000/\n");
        RendezvousSettings s = RendezvousSettings.load(Map.of("XDG_CONFIG_HOME", tmp.toString()), false);
        assertEquals(List.of(URI.create("ws://10.1.2.3:8000/")), s.trackers());
        assertEquals(dir.resolve("config") + ":1", s.trackersFrom());
        RendezvousSettings none = RendezvousSettings.load(Map.of("XDG_CONFIG_HOME", tmp.resolve("absent").toString()),
                false);
        assertEquals(RendezvousSettings.PUBLIC_TRACKERS, none.trackers(), "a missing file is an empty one");
    }
}
