package io.rtcat.stats;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes in base 1024 (KiB, MiB...), rates in base 1000 (MB/s, Mbit/s), as iperf3 does. */
public final class Units {

    private static final String[] SIZE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?",
            Pattern.CASE_INSENSITIVE);

    private Units() {
    }

    /**
     * Parses {@code 1048576}, {@code 64K}, {@code 256M}, {@code 1.5GiB}, {@code 4g}: suffixes K, M, G, T are
     * powers of 1024, with an optional {@code B} or {@code iB}.
     *
     * @throws IllegalArgumentException with a message that shows the accepted forms
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 1048576, 64K, 256M, 4GiB)");
        }
        double number = Double.parseDouble(m.group(1));
        int power = m.group(2).isEmpty() ? 0 : "KMGT".indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1;
        double bytes = number * Math.pow(1024, power);
        if (bytes > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        if (power == 0 && m.group(1).contains(".")) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        }
        return Math.round(bytes);
    }

    /** {@code 268435456} → {@code 256 MiB}; {@code 1536} → {@code 1.50 KiB}. */
    public static String formatSize(long bytes) {
        double v = bytes;
        int unit = 0;
        // 1023.999 KiB prints as 1024.00, so move up a unit from the rounding threshold on.
        while (Math.abs(v) >= 1024 - 0.005 && unit < SIZE_UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        if (unit == 0) {
            return bytes + " B";
        }
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f %s", v, SIZE_UNITS[unit]);
        }
        return String.format(Locale.ROOT, "%.2f %s", v, SIZE_UNITS[unit]);
    }

    /** Like {@link #formatSize} but negative means "a stream" (standard input: size unknown until the end). */
    public static String formatSizeOrStream(long bytes) {
        return bytes < 0 ? "a stream" : formatSize(bytes);
    }

    /** Bytes per second; 0 when no time passed. */
    public static double bytesPerSecond(long bytes, long nanos) {
        return nanos <= 0 ? 0 : bytes * 1e9 / nanos;
    }

    /** {@code 52.3 MB/s (418 Mbit/s)}. */
    public static String formatRate(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MB/s (%s)", bytesPerSecond / 1e6, formatBits(bytesPerSecond * 8));
    }

    private static String formatBits(double bitsPerSecond) {
        if (bitsPerSecond >= 1e9) {
            return String.format(Locale.ROOT, "%.2f Gbit/s", bitsPerSecond / 1e9);
        }
        if (bitsPerSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.0f Mbit/s", bitsPerSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%.0f kbit/s", bitsPerSecond / 1e3);
    }

    /**
     * A round trip: whole milliseconds, "&lt;1 ms" below one (libwebrtc measures in ms, so "0.0 ms" would claim
     * a precision it lacks), "n/a" when not measured.
     */
    public static String formatRtt(Double millis) {
        if (millis == null || millis.isNaN()) {
            return "n/a";
        }
        if (millis < 1) {
            return "<1 ms";
        }
        return String.format(Locale.ROOT, "%.0f ms", millis);
    }

    /** {@code 1234} ms → {@code 1.23 s}; below a second in ms. */
    public static String formatMillis(double millis) {
        if (millis < 1000) {
            return String.format(Locale.ROOT, "%.0f ms", millis);
        }
        return String.format(Locale.ROOT, "%.2f s", millis / 1000);
    }
}
