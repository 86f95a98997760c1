package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.session.pake.CodePhrase;

/**
 * Where `check` and `respond` meet: the code phrase's number (and its secret), or a plain room.
 *
 * @param secret the code phrase's secret, null for a plain room
 */
record CheckRoom(String name, String secret) {

    static final String DEFAULT = "rtcat-check";

    /** From --code and --room, which exclude each other; neither means the default plain room. */
    static CheckRoom of(String code, String room) throws RtcatException {
        if (code != null && room != null) {
            throw new RtcatException(RtcatException.Kind.USAGE, "--room and --code cannot be combined",
                    "with a code phrase the room is the code's number");
        }
        if (code != null) {
            CodePhrase phrase = CodePhrase.parse(code);
            return new CheckRoom(phrase.nameplate(), phrase.secret());
        }
        return new CheckRoom(room != null ? room : DEFAULT, null);
    }
}
