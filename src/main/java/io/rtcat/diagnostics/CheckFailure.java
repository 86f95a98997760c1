package io.rtcat.diagnostics;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Why {@code rtcat check} fails a threshold. Kinds are in precedence order: when several apply, the exit
 * code (cli's ExitCode) is the first one's (a wrong path usually explains a low throughput and a high RTT).
 */
public record CheckFailure(Kind kind, String message) {

    public enum Kind {
        /** --expect direct|relay: the selected candidate pair is the other kind (or unknown). */
        PATH_MISMATCH,
        /** --min-throughput: the transfer was slower. */
        THROUGHPUT_LOW,
        /** --max-rtt: the average ping round trip was longer. */
        RTT_HIGH,
        /** --expect GRADE or --min-bitrate on a media check: the call quality was lower. */
        MEDIA_LOW;

        /** For JSON: {@code path_mismatch}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The failure that decides the exit code; empty when there is none. */
    public static Optional<CheckFailure> first(List<CheckFailure> failures) {
        return failures.stream().min(Comparator.comparingInt(f -> f.kind().ordinal()));
    }
}
