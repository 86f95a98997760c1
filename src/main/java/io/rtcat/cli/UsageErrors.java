package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** The one-line text of a usage error, whether picocli or a command found it. */
final class UsageErrors {

    /** picocli's text for an exclusive {@code @ArgGroup}: "Error: --a, --b are mutually exclusive (...)". */
    private static final Pattern EXCLUSIVE = Pattern.compile("(?:Error: )?(.+) are mutually exclusive.*");

    private UsageErrors() {
    }

    /** A usage error found after parsing (options that depend on each other, files, the environment). */
    static RtcatException error(String message) {
        return new RtcatException(RtcatException.Kind.USAGE, message);
    }

    /**
     * "invalid --count 0: must be 1-10000" for a value a {@link Converters} converter rejected, "--reverse and
     * --bidir cannot be combined" for an exclusive group, picocli's own text otherwise.
     */
    static String message(CommandLine.ParameterException e) {
        if (e.getCause() instanceof Converters.Invalid invalid && e.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
            return "invalid " + o.longestName() + " " + e.getValue() + ": " + invalid.getMessage();
        }
        if (e instanceof CommandLine.MutuallyExclusiveArgsException) {
            Matcher m = EXCLUSIVE.matcher(e.getMessage());
            if (m.matches()) {
                String options = m.group(1);
                int last = options.lastIndexOf(", ");
                return (last < 0 ? options : options.substring(0, last) + " and " + options.substring(last + 2))
                        + " cannot be combined";
            }
        }
        return e.getMessage();
    }
}
