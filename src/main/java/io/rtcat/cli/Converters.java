package io.rtcat.cli;

import io.rtcat.stats.Units;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values checked while picocli parses, so a command's {@code execute()} starts with valid fields and
 * {@code parseArgs} alone rejects what the command would. A converter throws {@link Invalid} with only the
 * reason; the usage handler ({@link UsageErrors#message}) names the option and the value, "invalid --count 0:
 * must be 1-10000", then "hint: see 'rtcat check --help'", exit 2.
 *
 * <p>picocli creates converters by class, so each range is a small named class over the helpers below.
 */
final class Converters {

    private Converters() {
    }

    /** A rejected value; the message is the reason only ("must be 1-10000"). */
    static final class Invalid extends TypeConversionException {
        Invalid(String reason) {
            super(reason);
        }
    }

    static int intIn(String text, int min, int max, String reason) {
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new Invalid(reason);
        }
        if (v < min || v > max) {
            throw new Invalid(reason);
        }
        return v;
    }

    static long sizeIn(String text, long min, long max, String reason) {
        long v;
        try {
            v = Units.parseSize(text);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
        if (v < min || v > max) {
            throw new Invalid(reason);
        }
        return v;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    /** 90s, 30m, 8h, 7d: a positive whole number of seconds, minutes, hours or days. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new Invalid("use a number with s, m, h or d, e.g. 30m or 8h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A number in [min, max]; subclasses only name the range and its wording. */
    abstract static class Range<T extends Comparable<T>> implements ITypeConverter<T> {
        private final Function<String, T> parse;
        private final T min;
        private final T max;
        private final String reason;

        Range(Function<String, T> parse, T min, T max, String reason) {
            this.parse = parse;
            this.min = min;
            this.max = max;
            this.reason = reason;
        }

        @Override
        public T convert(String v) {
            T value;
            try {
                value = parse.apply(v.trim());
            } catch (NumberFormatException e) {
                throw new Invalid(reason);
            }
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) { // Double's NaN sorts above max
                throw new Invalid(reason);
            }
            return value;
        }
    }

    abstract static class IntRange extends Range<Integer> {
        IntRange(int min, int max, String reason) {
            super(Integer::valueOf, min, max, reason);
        }
    }

    abstract static class DoubleRange extends Range<Double> {
        DoubleRange(double min, double max, String reason) {
            super(Double::valueOf, min, max, reason);
        }
    }

    /** A TCP/UDP port, 0 for "pick a free one". */
    static final class Port extends IntRange {
        Port() {
            super(0, 65535, "must be 0-65535");
        }
    }

    /** A positive number of seconds up to an hour (timeouts). */
    static final class TimeoutSeconds extends IntRange {
        TimeoutSeconds() {
            super(1, 3600, "must be 1-3600 seconds");
        }
    }

    /** A duration as {@link #duration} reads it. */
    static final class Lifetime implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String v) {
            return duration(v);
        }
    }

    /** --port-range LOW-HIGH; whether LOW &lt;= HIGH is the peer configuration's check. */
    record PortRange(int low, int high) {
        static final class Converter implements ITypeConverter<PortRange> {
            @Override
            public PortRange convert(String v) {
                String[] parts = v.split("-", 2);
                String reason = "expected LOW-HIGH, e.g. 40000-40100";
                if (parts.length != 2) {
                    throw new Invalid(reason);
                }
                return new PortRange(intIn(parts[0], 0, Integer.MAX_VALUE, reason),
                        intIn(parts[1], 0, Integer.MAX_VALUE, reason));
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d-%d", low, high);
        }
    }
}
