package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void aFilteredBuildNamesVersionCommitAndNatives() {
        BuildInfo b = BuildInfo.of(props("version", "0.2.0", "commit", "abc1234", "webrtc_java", "0.14.0",
                "libwebrtc", "M138"));
        assertEquals("0.2.0 (abc1234, webrtc-java 0.14.0, libwebrtc M138)", b.describe());
    }

    @Test
    void aBuildWithoutGitSaysTheCommitIsUnknown() {
        // Resource filtering leaves ${git.commit.id.abbrev} as it is when the git plugin found no .git.
        BuildInfo b = BuildInfo.of(props("version", "0.2.0", "commit", "${git.commit.id.abbrev}",
                "webrtc_java", "0.14.0", "libwebrtc", "M138"));
        assertEquals("0.2.0 (commit unknown, webrtc-java 0.14.0, libwebrtc M138)", b.describe());
    }

    @Test
    void noPropertiesAtAllIsADevBuild() {
        assertTrue(BuildInfo.of(new Properties()).describe().startsWith("dev (commit unknown"));
    }

    @Test
    void theBuiltResourceIsFilteredWithThePomVersion() {
        // target/classes holds the filtered copy; an unfiltered one would read "dev" here.
        BuildInfo b = BuildInfo.load();
        assertNotEquals("dev", b.version(), b.toString());
        assertTrue(b.version().matches("\\d+\\.\\d+\\.\\d+.*"), b.toString());
        assertTrue(b.libwebrtc().matches("M\\d+"), b.toString());
        assertEquals("rtcat " + b.describe(), new VersionProvider().getVersion()[0]);
    }
}
