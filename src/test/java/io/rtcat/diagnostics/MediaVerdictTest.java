package io.rtcat.diagnostics;

import static io.rtcat.diagnostics.MediaFixtures.audio;
import static io.rtcat.diagnostics.MediaFixtures.video;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MediaVerdictTest {

    private static MediaVerdict of(MediaReport.Video v, MediaReport.Audio a) {
        return MediaVerdict.of(v, a, 10);
    }

    @Test
    void gradesFollowHeightBitrateAndFrameRate() {
        assertEquals("1080p", of(video(1080, 3000, 30, 0), null).grade());
        assertEquals("720p", of(video(1080, 2000, 30, 0), null).grade());
        assertEquals("720p", of(video(720, 1200, 30, 0), null).grade());
        assertEquals("360p", of(video(720, 1199, 30, 0), null).grade());
        assertEquals("360p", of(video(360, 400, 25, 0), null).grade());
        assertEquals("180p", of(video(360, 399, 30, 0), null).grade());
        assertEquals("180p", of(video(720, 2000, 20, 0), null).grade(), "choppy video is not 720p");
        assertEquals("unusable", of(video(720, 100, 30, 0), null).grade());
        assertEquals("good for 720p30 video", of(video(720, 1500, 30, 0), null).text());
    }

    @Test
    void lossAndFreezesLowerTheGradeAndSaySo() {
        MediaVerdict lossy = of(video(720, 1500, 30, 3.5), null);
        assertEquals("360p", lossy.grade());
        assertTrue(lossy.text().contains("3.5% loss"), lossy.text());
        MediaVerdict frozen = of(video(720, 1500, 30, 0, 1.5), null);
        assertEquals("360p", frozen.grade());
        assertTrue(frozen.text().contains("frozen 1.5 s"), frozen.text());
        MediaVerdict unusable = of(video(720, 1500, 30, 8.2), null);
        assertEquals("unusable", unusable.grade());
        assertEquals("unusable: 8.2% loss", unusable.text());
    }

    @Test
    void audioAloneAndAudioWhenVideoFails() {
        assertEquals("audio", of(null, audio(0, 1)).grade());
        assertEquals("good for audio calls", of(null, audio(0, 1)).text());
        assertEquals("unusable", of(null, audio(12, 1)).grade());
        assertEquals("unusable", of(null, audio(0, 20)).grade());
        MediaVerdict audioOnly = of(video(360, 80, 30, 0), audio(0, 1));
        assertEquals("audio", audioOnly.grade());
        assertTrue(audioOnly.text().startsWith("audio only: video gets 80 kbit/s"), audioOnly.text());
        assertEquals("good for 720p30 video, audio good", of(video(720, 1500, 30, 0), audio(0, 1)).text());
        assertTrue(of(video(720, 1500, 30, 0), audio(4, 1)).text().endsWith("audio usable (4.0% loss)"));
        MediaVerdict spoilt = of(video(360, 2200, 30, 4.3, 1.2), audio(0, 1));
        assertEquals("audio", spoilt.grade(), "360p less two steps (loss, freezes)");
        assertEquals("audio only: video suffers 4.3% loss, frozen 1.2 s (2200 kbit/s at 30 fps)", spoilt.text());
    }

    @Test
    void gradesAreOrdered() {
        MediaVerdict v = of(video(720, 1500, 30, 0), null);
        assertTrue(v.atLeast("720p"));
        assertTrue(v.atLeast("audio"));
        assertFalse(v.atLeast("1080p"));
    }
}
