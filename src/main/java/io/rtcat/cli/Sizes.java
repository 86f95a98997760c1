package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.stats.Units;

/** Parses size flags into bytes with an error that names the flag. */
final class Sizes {

    private Sizes() {
    }

    static long parse(String flag, String value) throws RtcatException {
        try {
            return Units.parseSize(value);
        } catch (IllegalArgumentException e) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid " + flag + ": " + e.getMessage());
        }
    }
}
