package io.rtcat.cli;

import java.util.ArrayList;
import java.util.List;

/** The values shells offer for options that take one of a few words (picocli's completionCandidates). */
final class CompletionValues {

    private CompletionValues() {
    }

    /** --media */
    static final class MediaKinds extends ArrayList<String> {
        MediaKinds() {
            super(List.of("video", "audio", "both"));
        }
    }

    /** --codec */
    static final class Codecs extends ArrayList<String> {
        Codecs() {
            super(List.of("VP8", "VP9", "H264", "AV1", "opus"));
        }
    }

    /** check --expect: a path, or with --media a grade. */
    static final class CheckExpectations extends ArrayList<String> {
        CheckExpectations() {
            super(List.of("direct", "relay", "audio", "180p", "360p", "720p", "1080p"));
        }
    }

    /** probe --expect: a comma-separated list of candidate types. */
    static final class CandidateTypes extends ArrayList<String> {
        CandidateTypes() {
            super(List.of("host", "srflx", "relay", "host,srflx", "host,srflx,relay"));
        }
    }
}
