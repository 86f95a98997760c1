package io.rtcat.stats;

import java.util.Map;

/**
 * One object of a WebRTC stats report, as libwebrtc gives it: for {@code --stats-dump}.
 *
 * @param type       e.g. "candidate-pair", "transport", "data-channel"
 * @param attributes values are String, Boolean, Number or List of those
 */
public record StatsEntry(String id, String type, long timestampMicros, Map<String, Object> attributes) {

    public StatsEntry {
        attributes = Map.copyOf(attributes);
    }
}
