package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.testing.JsonSchemas;
import io.rtcat.testing.RtcatProcess;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** rtcat check --media: synthetic media between real peers, with real encoders, RTP/SRTP and stats. */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class MediaCheckIT {

    private static final String CHECK_SCHEMA = "/schemas/check.schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode media(CliRun run) throws Exception {
        assertEquals(0, run.exitCode(), run.toString());
        JsonSchemas.assertValid(CHECK_SCHEMA, run.out());
        JsonNode doc = run.json();
        assertEquals(0, doc.get("throughput").size(), "media replaces the throughput run");
        return doc.get("media");
    }

    /** Every video codec this build offers arrives as the one asked for, and the figures agree with each other. */
    @ParameterizedTest
    @ValueSource(strings = {"VP8", "VP9", "H264", "AV1"})
    void eachVideoCodecArrivesAsAskedFor(String codec) throws Exception {
        CliRun run = CliRun.of("check", "--local", "--media", "video", "--codec", codec, "--resolution", "320x180",
                "--fps", "15", "--duration", "3", "--count", "3", "--json", "--quiet");
        JsonNode m = media(run);
        JsonNode v = m.get("video");
        assertEquals(codec, v.get("codec_asked").asText());
        assertEquals(codec, v.get("codec_sent").asText(), run.toString());
        assertEquals(codec, v.get("codec_received").asText(), run.toString());
        JsonNode frames = v.get("frames");
        assertTrue(frames.get("received").asLong() > 0, run.toString());
        assertTrue(frames.get("decoded").asLong() > 0, run.toString());
        assertTrue(frames.get("shown").asLong() > 0, "the receiving track's sink saw frames: " + run);
        assertTrue(frames.get("received").asLong() <= frames.get("encoded").asLong() + 1, run.toString());
        assertTrue(v.get("received_kbps").asDouble() > 0, run.toString());
        assertTrue(v.get("sent_kbps").asDouble() > 0, run.toString());
        assertEquals(320, v.get("width").asInt(), run.toString());
        assertEquals(180, v.get("height").asInt(), run.toString());
        assertEquals(3, m.get("seconds").size(), run.toString());
        assertEquals(1, m.get("layers").size(), run.toString());
        assertTrue(m.get("verdict").get("text").asText().length() > 0);
    }

    @Test
    void audioWithOpus(@TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path dump = tmp.resolve("stats.json");
        CliRun run = CliRun.of("check", "--local", "--media", "audio", "--codec", "opus", "--duration", "3",
                "--count", "3", "--json", "--quiet", "--stats-dump", dump.toString());
        JsonNode m = media(run);
        JsonNode a = m.get("audio");
        assertEquals("opus", a.get("codec_received").asText().toLowerCase(java.util.Locale.ROOT), run.toString());
        assertTrue(a.get("packets_received").asLong() > 100, "50 packets/s for about 3 s: " + run);
        assertEquals(0, a.get("packets_lost").asLong(), run.toString());
        assertTrue(a.get("samples_played").asLong() > 48_000, run.toString());
        assertTrue(a.get("received_kbps").asDouble() > 5, run.toString());
        assertEquals("audio", m.get("verdict").get("grade").asText(), run.toString());
        assertTrue(m.get("video").isNull());
        // --stats-dump has the media connection too: its last second, with the audio it sent.
        JsonNode peers = new ObjectMapper().readTree(dump.toFile()).get("peers");
        assertTrue(peers.has("checker"), peers.fieldNames().toString());
        boolean audioSent = false;
        for (JsonNode e : peers.get("media-sender")) {
            audioSent |= e.get("type").asText().equals("outbound-rtp")
                    && e.toString().contains("\"kind\":\"audio\"");
        }
        assertTrue(audioSent, "no outbound audio in the media stats: " + peers.get("media-sender"));
    }

    /**
     * --max-bitrate is honoured: over the run the video sends at most 10% above the cap, and no single second more
     * than 25% above it (libwebrtc's rate control overshoots briefly on key frames; documented in the README).
     */
    @Test
    void maxBitrateIsHonoured() throws Exception {
        CliRun run = CliRun.of("check", "--local", "--media", "video", "--resolution", "640x360",
                "--max-bitrate", "300k", "--duration", "6", "--count", "3", "--json", "--quiet");
        JsonNode m = media(run);
        JsonNode v = m.get("video");
        assertTrue(v.get("sent_kbps").asDouble() <= 330, run.toString());
        assertTrue(v.get("received_kbps").asDouble() > 100, "the capped video still flows: " + run);
        for (JsonNode row : m.get("seconds")) {
            if (row.get("t").asInt() >= 2) {
                assertTrue(row.get("sent_kbps").asDouble() <= 375, "second " + row + ": " + run);
                assertTrue(row.get("target_kbps").asDouble() <= 300.5, "second " + row + ": " + run);
            }
        }
    }

    @Test
    void bothKindsInTextWithSimulcastAndAFailedExpectation() {
        CliRun run = CliRun.of("check", "--local", "--media", "both", "--simulcast", "3", "--resolution", "640x360",
                "--duration", "3", "--count", "3", "--expect", "1080p", "--min-bitrate", "50M");
        assertEquals(ExitCode.CHECK_MEDIA, run.exitCode(), run.toString());
        assertTrue(run.out().contains(MediaText.HEADER), run.toString());
        assertTrue(run.out().contains("Verdict:  "), run.toString());
        assertTrue(run.out().contains("Audio:    opus"), run.toString());
        assertTrue(run.out().contains("layer "), "each simulcast layer is listed: " + run);
        assertTrue(run.out().contains("Simulcast: "), "a receiver without an SFU declines simulcast: " + run);
        assertTrue(run.err().contains("expected media good for at least 1080p"), run.toString());
        assertTrue(run.err().contains("below --min-bitrate 50000 kbit/s"), run.toString());
    }

    @Test
    void badMediaFlagsAreUsageErrors() {
        for (String[] args : new String[][] {
            {"check", "--local", "--media", "smell"},
            {"check", "--local", "--codec", "VP8"},
            {"check", "--local", "--expect", "720p"},
            {"check", "--local", "--media", "video", "--codec", "VP7"},
            {"check", "--local", "--media", "video", "--bidir"},
        }) {
            CliRun run = CliRun.of(args);
            assertEquals(ExitCode.USAGE, run.exitCode(), run.toString());
            assertEquals(1, run.err().strip().lines().filter(l -> l.startsWith("rtcat:")).count(), run.toString());
        }
    }

    /**
     * Decoded frames are released: a 720p30 check holds its memory flat (before the sink released its frames,
     * every frame stayed in native memory, about 40 MB/s, 1.4 MB each).
     */
    @Test
    void memoryStaysFlatWhileVideoFlows() throws Exception {
        try (RtcatProcess check = RtcatProcess.start("check", "--local", "--media", "video", "--duration", "12",
                "--count", "2")) {
            check.awaitStdout("(?m)^ +(4) ", 60);
            long early = rssKib(check.pid());
            check.awaitStdout("(?m)^ +(10) ", 30);
            long late = rssKib(check.pid());
            assertTrue(late - early < 60 * 1024, "RSS grew from " + early + " to " + late + " KiB in 6 s");
            assertEquals(0, check.await(60), check.toString());
        }
    }

    private static long rssKib(long pid) throws Exception {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }

    /** A real responder process takes a media check and reports what it received. */
    @Test
    void aResponderTakesMediaChecks() throws Exception {
        try (RtcatProcess respond = RtcatProcess.start("respond", "--once", "--json")) {
            String from = respond.awaitStderr("rtcat check --from (\\S+)", 30);
            try (RtcatProcess check = RtcatProcess.start("check", "--from", from, "--media", "both", "--resolution",
                    "320x180", "--duration", "3", "--count", "3", "--json", "-q")) {
                assertEquals(0, check.await(90), check.toString());
                JsonSchemas.assertValid(CHECK_SCHEMA, check.stdout());
                JsonNode m = JSON.readTree(check.stdout()).get("media");
                assertTrue(m.get("video").get("frames").get("shown").asLong() > 0, check.toString());
                assertTrue(m.get("audio").get("packets_received").asLong() > 0, check.toString());
                assertEquals("remote", JSON.readTree(check.stdout()).get("mode").asText());
            }
            assertEquals(0, respond.await(30), respond.toString());
            String event = respond.stdout().strip();
            JsonSchemas.assertValid("/schemas/respond-event.schema.json", event);
            JsonNode media = JSON.readTree(event).get("media");
            assertTrue(media.get("video_frames").asLong() > 0, respond.toString());
            assertTrue(media.get("audio_samples").asLong() > 48_000, "about 3 s of audio: " + respond);
            assertTrue(respond.stderr().contains("media: "), respond.toString());
        }
    }
}
