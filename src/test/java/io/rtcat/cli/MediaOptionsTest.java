package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.diagnostics.MediaCheck;
import io.rtcat.errors.RtcatException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MediaOptionsTest {

    private static MediaOptions parse(String... args) {
        MediaOptions o = new MediaOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void defaultsAre720p30ForTenSeconds() throws Exception {
        MediaCheck.Plan p = parse("--media", "video").plan(null);
        assertEquals(1280, p.video().width());
        assertEquals(720, p.video().height());
        assertEquals(30, p.video().fps());
        assertEquals(1, p.video().layers());
        assertNull(p.video().codec());
        assertNull(p.audio());
        assertEquals(10, p.seconds());
    }

    @Test
    void opusGoesToAudioAndOtherCodecsToVideo() throws Exception {
        MediaCheck.Plan both = parse("--media", "both", "--codec", "VP9", "--max-bitrate", "2.5M").plan(4.0);
        assertEquals("VP9", both.video().codec());
        assertEquals(2_500_000, both.video().maxBitrateBps());
        assertNull(both.audio().codec());
        assertEquals(0, both.audio().maxBitrateBps(), "the cap is the video's when both are sent");
        MediaCheck.Plan audio = parse("--media", "audio", "--codec", "opus", "--max-bitrate", "24k").plan(null);
        assertEquals("opus", audio.audio().codec());
        assertEquals(24_000, audio.audio().maxBitrateBps());
    }

    @Test
    void bitrates() throws Exception {
        assertEquals(300_000, MediaOptions.bitrate("300k"));
        assertEquals(1_500_000, MediaOptions.bitrate("1.5M"));
        assertEquals(64_000, MediaOptions.bitrate("64000"));
        assertThrows(Converters.Invalid.class, () -> MediaOptions.bitrate("fast"));
        assertThrows(Converters.Invalid.class, () -> MediaOptions.bitrate("0"));
        assertEquals(500.0, parse("--media", "video", "--min-bitrate", "500k").minBitrateKbps());
    }

    @Test
    void badValuesFailWhileParsing() {
        String[][] bad = {
            {"--media", "smell"},
            {"--media", "video", "--resolution", "big"},
            {"--media", "video", "--resolution", "641x360"},
            {"--media", "video", "--fps", "0"},
            {"--media", "video", "--simulcast", "2"},
            {"--media", "video", "--max-bitrate", "5k"},
            {"--media", "video", "--min-bitrate", "fast"},
        };
        for (String[] args : bad) {
            CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, () -> parse(args),
                    String.join(" ", args));
            String line = UsageErrors.message(e);
            assertTrue(line.startsWith("invalid " + args[args.length - 2] + " " + args[args.length - 1] + ": "), line);
        }
    }

    @Test
    void badCombinationsAreUsageErrors() {
        String[][] bad = {
            {"--codec", "VP8"},
            {"--media", "audio", "--codec", "VP8"},
            {"--media", "video", "--codec", "opus"},
            {"--media", "audio", "--simulcast", "3"},
            {"--media", "video", "--simulcast", "3", "--resolution", "644x364"},
        };
        for (String[] args : bad) {
            RtcatException e = assertThrows(RtcatException.class, () -> parse(args).plan(null), String.join(" ", args));
            assertEquals(RtcatException.Kind.USAGE, e.kind(), String.join(" ", args));
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
        assertThrows(RtcatException.class, () -> parse("--media", "video").plan(1.0), "at least 2 s");
    }
}
