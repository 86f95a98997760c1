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
    /** Where check's and respond's --code can come from instead, out of sight of ps. */
    static final String CODE_ENV = "RTCAT_CHECK_CODE";

    /** {@code --code}, else {@value #CODE_ENV} unless --room is given; null for none. */
    static String code(String option, String room) {
        if (option != null || room != null) {
            return option;
        }
        String env = System.getenv(CODE_ENV);
        return env == null || env.isBlank() ? null : env;
    }

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
