package io.rtcat.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small randomized property harness for the {@code *FuzzTest} classes: seeded generators of hostile input and a
 * loop that checks a property on many of them.
 *
 * <p>Each property runs {@code -Dfuzz.tries} tries (the suite's default is bounded so a class takes seconds;
 * {@code scripts/fuzz} raises it). Try {@code t} of property {@code p} draws its input from a random seeded with
 * (base seed, p, t) only, so a failure is replayed by its base seed alone, whatever ran before: the message prints
 * that seed, the try and the input (escaped, shortened while it still fails), to be kept as an example test.
 * {@code -Dfuzz.seed=S} changes the base seed (decimal or 0x hex).
 */
public final class Fuzz {

    /** The suite's fixed base seed: the same inputs on every run and machine unless {@code fuzz.seed} is set. */
    public static final long BASE_SEED = 0x7274_6361_74L;
    /** Tries per property in the suite when {@code fuzz.tries} is not set. */
    public static final int DEFAULT_TRIES = 2000;
    /** Most re-runs spent shortening a failing input. */
    private static final int SHRINK_BUDGET = 500;

    /** Draws one input. */
    @FunctionalInterface
    public interface Gen<T> {
        T next(SplittableRandom random);

        default <R> Gen<R> map(java.util.function.Function<? super T, ? extends R> f) {
            return r -> f.apply(next(r));
        }
    }

    /** The property: returns normally when it holds for {@code input}, throws (assertion or other) when not. */
    @FunctionalInterface
    public interface Property<T> {
        void check(T input) throws Exception;
    }

    private Fuzz() {}

    /** Tries per property: {@code fuzz.tries} if set, else {@code suiteDefault}. */
    public static int tries(int suiteDefault) {
        String set = System.getProperty("fuzz.tries", "").trim();
        return set.isEmpty() ? suiteDefault : Integer.parseInt(set);
    }

    /** The base seed: {@code fuzz.seed} if set, else {@link #BASE_SEED}. */
    public static long seed() {
        String set = System.getProperty("fuzz.seed", "").trim();
        return set.isEmpty() ? BASE_SEED : Long.decode(set);
    }

    /** Checks {@code property} on {@link #DEFAULT_TRIES} (or {@code fuzz.tries}) inputs from {@code gen}. */
    public static <T> void forAll(String name, Gen<T> gen, Property<T> property) {
        forAll(name, DEFAULT_TRIES, gen, property);
    }

    /**
     * Checks {@code property} on {@code suiteTries} inputs (or {@code fuzz.tries}); {@code name} must be unique per
     * property, it keys the inputs. Strings, byte arrays and lists are shortened on failure.
     */
    public static <T> void forAll(String name, int suiteTries, Gen<T> gen, Property<T> property) {
        run(name, tries(suiteTries), seed(), gen, property);
    }

    /** {@link #forAll} with explicit tries and seed, the system properties ignored. */
    static <T> void run(String name, int tries, long seed, Gen<T> gen, Property<T> property) {
        for (int t = 0; t < tries; t++) {
            T input = gen.next(random(seed, name, t));
            Throwable failure = failure(property, input);
            if (failure != null) {
                Shrunk<T> smallest = shrink(property, input, failure);
                AssertionError report = new AssertionError(name + " failed at try " + t + " of " + tries
                        + " (replay: -Dfuzz.seed=" + seed + " -Dfuzz.tries=" + (t + 1) + ")\n  input:  "
                        + show(input) + (smallest.input == input ? "" : "\n  shrunk: " + show(smallest.input))
                        + "\n  cause:  " + cause(smallest.failure), smallest.failure);
                throw report;
            }
        }
    }

    /** One line: the failure's class and its message escaped (it may echo the hostile input). */
    private static String cause(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getName() + (message == null ? "" : ": " + show(message));
    }

    /** The random of try {@code t}: depends only on the base seed, the property and t. */
    static SplittableRandom random(long seed, String name, int t) {
        long mixed = seed * 0x9E3779B97F4A7C15L + name.hashCode();
        return new SplittableRandom(mixed * 0xBF58476D1CE4E5B9L + t);
    }

    private static <T> Throwable failure(Property<T> property, T input) {
        try {
            property.check(input);
            return null;
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError vm && !(e instanceof StackOverflowError)) {
                throw vm;
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return e;
        }
    }

    private record Shrunk<T>(T input, Throwable failure) {}

    /** Greedy: drop ever smaller slices of the input while it still fails; cheap and bounded. */
    private static <T> Shrunk<T> shrink(Property<T> property, T input, Throwable failure) {
        T best = input;
        Throwable bestFailure = failure;
        int budget = SHRINK_BUDGET;
        boolean progress = true;
        while (progress && budget > 0) {
            progress = false;
            int size = length(best);
            for (int chunk = Math.max(1, size / 2); chunk >= 1 && !progress && budget > 0; chunk /= 2) {
                for (int at = 0; at + chunk <= size && budget > 0; at += chunk) {
                    T smaller = without(best, at, chunk);
                    if (smaller == null) {
                        return new Shrunk<>(best, bestFailure);
                    }
                    budget--;
                    Throwable f = failure(property, smaller);
                    if (f != null && f.getClass() == failure.getClass()) {
                        best = smaller;
                        bestFailure = f;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return new Shrunk<>(best, bestFailure);
    }

    private static int length(Object input) {
        if (input instanceof String s) {
            return s.length();
        } else if (input instanceof byte[] b) {
            return b.length;
        } else if (input instanceof List<?> l) {
            return l.size();
        }
        return 0;
    }

    /** {@code input} without {@code n} elements from {@code at}, or null if this kind of input is not shrunk. */
    @SuppressWarnings("unchecked")
    private static <T> T without(T input, int at, int n) {
        if (input instanceof String s) {
            return (T) (s.substring(0, at) + s.substring(at + n));
        } else if (input instanceof byte[] b) {
            byte[] out = new byte[b.length - n];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(b, at + n, out, at, b.length - at - n);
            return (T) out;
        } else if (input instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.subList(0, at));
            out.addAll(l.subList(at + n, l.size()));
            return (T) out;
        }
        return null;
    }

    /** The input as one line of Java-like source: strings quoted and escaped, bytes in hex. */
    public static String show(Object input) {
        if (input instanceof String s) {
            StringBuilder out = new StringBuilder("\"");
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c >= 0x20 && c < 0x7f) {
                    out.append(c);
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            }
            return out.append('"').toString();
        } else if (input instanceof byte[] b) {
            return "hex:" + HexFormat.of().formatHex(b);
        } else if (input instanceof List<?> l) {
            List<String> shown = new ArrayList<>();
            for (Object o : l) {
                shown.add(show(o));
            }
            return "[" + String.join(", ", shown) + "]";
        } else if (input instanceof Object[] a) {
            return show(Arrays.asList(a));
        }
        return String.valueOf(input);
    }

    // ---- generators ----

    /** Characters a hostile peer likes: C0/C1 controls, bidi overrides/isolates, zero-width, BOM, lone surrogates. */
    public static final String NASTY = "\u0000\u0001\u0007\u0008\t\n\u000b\f\r\u001b\u007f\u0085\u009b\u00a0"
            + "\u061c\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067"
            + "\u2068\u2069\ufeff\ufff9\ufffd\uffff\ud800\udbff\udc00\udfff\uff0e\uff0f";
    /** Printable ASCII. */
    public static final String ASCII = asciiPrintable();
    /** Characters with special meaning in paths, URLs and JSON. */
    public static final String SYNTAX = "./\\:@?#&%=[]{}\",'~-_ ";

    private static String asciiPrintable() {
        StringBuilder b = new StringBuilder();
        for (char c = 0x20; c < 0x7f; c++) {
            b.append(c);
        }
        return b.toString();
    }

    /** A char from a mix of alphabets: ASCII, syntax, nasty, any BMP char, or half of a non-BMP pair. */
    public static Gen<Character> anyChar() {
        return r -> switch (r.nextInt(6)) {
            case 0, 1 -> ASCII.charAt(r.nextInt(ASCII.length()));
            case 2 -> SYNTAX.charAt(r.nextInt(SYNTAX.length()));
            case 3 -> NASTY.charAt(r.nextInt(NASTY.length()));
            case 4 -> (char) r.nextInt(0x10000);
            default -> Character.toChars(0x10000 + r.nextInt(0x100000))[r.nextInt(2)];
        };
    }

    /** Any string up to {@code maxLength} chars, mostly short; whole surrogate pairs and lone halves alike. */
    public static Gen<String> strings(int maxLength) {
        Gen<Character> c = anyChar();
        return r -> {
            int n = length(r, maxLength);
            StringBuilder b = new StringBuilder(n);
            while (b.length() < n) {
                if (r.nextInt(8) == 0) {
                    b.appendCodePoint(0x10000 + r.nextInt(0x100000));
                } else {
                    b.append(c.next(r));
                }
            }
            return b.toString();
        };
    }

    /** Any string from the given alphabet, up to {@code maxLength} chars. */
    public static Gen<String> strings(String alphabet, int maxLength) {
        return r -> {
            int n = length(r, maxLength);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return b.toString();
        };
    }

    /** Up to {@code maxCount} tokens joined: fragments that look like the language of the tokens. */
    public static Gen<String> tokens(List<String> tokens, int maxCount) {
        return r -> {
            int n = length(r, maxCount);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                b.append(tokens.get(r.nextInt(tokens.size())));
            }
            return b.toString();
        };
    }

    /** One of the values. */
    @SafeVarargs
    public static <T> Gen<T> of(T... values) {
        return r -> values[r.nextInt(values.length)];
    }

    /** Draws from one of the generators, each as likely. */
    @SafeVarargs
    public static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        return r -> gens[r.nextInt(gens.length)].next(r);
    }

    /** A list of up to {@code maxSize} elements. */
    public static <T> Gen<List<T>> lists(Gen<T> element, int maxSize) {
        return r -> {
            int n = length(r, maxSize);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(element.next(r));
            }
            return out;
        };
    }

    /** Any bytes, up to {@code maxLength}. */
    public static Gen<byte[]> bytes(int maxLength) {
        return r -> {
            byte[] b = new byte[length(r, maxLength)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) r.nextInt(256);
            }
            return b;
        };
    }

    /** An int in [min, max]. */
    public static Gen<Integer> ints(int min, int max) {
        return r -> r.nextInt(min, max + 1);
    }

    /** A length in [0, max], biased to short: half the time at most a tenth of max (edge cases hide there). */
    private static int length(SplittableRandom r, int max) {
        if (max <= 0) {
            return 0;
        }
        return r.nextBoolean() ? r.nextInt(max / 10 + 1) : r.nextInt(max + 1);
    }

    /**
     * JSON-ish text from a grammar: objects, arrays, strings, numbers and literals, keys and string values from
     * the vocabularies (plus odd ones); now and then the grammar is broken (a token dropped, doubled or swapped)
     * so the parser sees both well-formed messages with wrong fields and malformed ones.
     */
    public static Gen<String> json(List<String> keys, List<String> strings, int maxDepth) {
        Gen<String> odd = strings(24);
        return r -> {
            StringBuilder b = new StringBuilder();
            value(r, b, keys, strings, odd, maxDepth, true);
            return r.nextInt(4) == 0 ? mutateOnce(r, b.toString(), ASCII_JSON) : b.toString();
        };
    }

    private static final String ASCII_JSON = "{}[],:\"\\ 0123456789-+.eEtrufalsn";
    private static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "7", "1.5", "1e308", "1e999", "-1e999",
            "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "18446744073709551616", "0.0000001", "1E+2", "01", "NaN", "Infinity");

    private static void value(SplittableRandom r, StringBuilder b, List<String> keys, List<String> strings,
            Gen<String> odd, int depth, boolean top) {
        int kind = top ? r.nextInt(10) : r.nextInt(depth <= 0 ? 5 : 8);
        switch (kind) {
            case 0 -> b.append(NUMBERS.get(r.nextInt(NUMBERS.size())));
            case 1 -> b.append(of("null", "true", "false").next(r));
            case 2, 3 -> quoted(b, r.nextInt(4) == 0 ? odd.next(r) : strings.get(r.nextInt(strings.size())));
            case 4 -> quoted(b, keys.get(r.nextInt(keys.size())));
            case 5 -> {
                b.append('[');
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? "," : "");
                    value(r, b, keys, strings, odd, depth - 1, false);
                }
                b.append(']');
            }
            default -> {
                b.append('{');
                int n = r.nextInt(7);
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? "," : "");
                    quoted(b, r.nextInt(8) == 0 ? odd.next(r) : keys.get(r.nextInt(keys.size())));
                    b.append(':');
                    value(r, b, keys, strings, odd, depth - 1, false);
                }
                b.append('}');
            }
        }
    }

    /** A JSON string literal of {@code s}: mostly escaped correctly, sometimes with raw or \\u-escaped oddities. */
    private static void quoted(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    /**
     * Valid samples with one to four mutations each, as a mutating fuzzer makes them: a char's bits flipped, the
     * end cut off, chars (nasty ones included) inserted, a slice duplicated or deleted, or the head of one sample
     * spliced onto the tail of another.
     */
    public static Gen<String> mutations(List<String> samples) {
        return r -> {
            String s = samples.get(r.nextInt(samples.size()));
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                s = r.nextInt(6) == 0 ? splice(r, s, samples.get(r.nextInt(samples.size()))) : mutateOnce(r, s, null);
            }
            return s;
        };
    }

    /** As {@link #mutations(List)} for byte samples. */
    public static Gen<byte[]> byteMutations(List<byte[]> samples) {
        return r -> {
            byte[] b = samples.get(r.nextInt(samples.size())).clone();
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                b = mutateOnce(r, b, samples.get(r.nextInt(samples.size())));
            }
            return b;
        };
    }

    private static String splice(SplittableRandom r, String a, String b) {
        return a.substring(0, r.nextInt(a.length() + 1)) + b.substring(r.nextInt(b.length() + 1));
    }

    /** One mutation; inserted chars come from {@code alphabet}, or from {@link #anyChar()} when null. */
    private static String mutateOnce(SplittableRandom r, String s, String alphabet) {
        int len = s.length();
        int at = r.nextInt(len + 1);
        switch (r.nextInt(6)) {
            case 0 -> { // flip bits of one char
                if (len == 0) {
                    return s;
                }
                int i = r.nextInt(len);
                char flipped = (char) (s.charAt(i) ^ (1 << r.nextInt(r.nextBoolean() ? 8 : 16)));
                return s.substring(0, i) + flipped + s.substring(i + 1);
            }
            case 1 -> { // truncate
                return s.substring(0, at);
            }
            case 2 -> { // insert
                StringBuilder b = new StringBuilder(s.substring(0, at));
                int n = 1 + r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    b.append(alphabet == null ? anyChar().next(r) : alphabet.charAt(r.nextInt(alphabet.length())));
                }
                return b.append(s.substring(at)).toString();
            }
            case 3 -> { // duplicate a slice
                int end = at + r.nextInt(len - at + 1);
                String slice = s.substring(at, end);
                return s.substring(0, end) + slice.repeat(1 + r.nextInt(r.nextInt(8) == 0 ? 100 : 3))
                        + s.substring(end);
            }
            case 4 -> { // delete a slice
                int end = at + r.nextInt(Math.min(len - at, 8) + 1);
                return s.substring(0, at) + s.substring(end);
            }
            default -> { // replace a char with a nasty one
                if (len == 0) {
                    return s;
                }
                int i = r.nextInt(len);
                return s.substring(0, i) + NASTY.charAt(r.nextInt(NASTY.length())) + s.substring(i + 1);
            }
        }
    }

    private static byte[] mutateOnce(SplittableRandom r, byte[] b, byte[] other) {
        int len = b.length;
        int at = r.nextInt(len + 1);
        switch (r.nextInt(6)) {
            case 0 -> { // flip a bit
                if (len > 0) {
                    b[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1 -> { // truncate
                return Arrays.copyOf(b, at);
            }
            case 2 -> { // insert random bytes, interesting ones often
                byte[] ins = new byte[1 + r.nextInt(8)];
                for (int i = 0; i < ins.length; i++) {
                    ins[i] = r.nextBoolean() ? (byte) r.nextInt(256) : of((byte) 0, (byte) 1, (byte) 0x7f,
                            (byte) 0x80, (byte) 0xff).next(r);
                }
                return concat(Arrays.copyOf(b, at), ins, Arrays.copyOfRange(b, at, len));
            }
            case 3 -> { // duplicate a slice
                int end = at + r.nextInt(len - at + 1);
                return concat(Arrays.copyOf(b, end), Arrays.copyOfRange(b, at, end), Arrays.copyOfRange(b, end, len));
            }
            case 4 -> { // overwrite one byte with an edge value
                if (len > 0) {
                    b[r.nextInt(len)] = of((byte) 0, (byte) 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff).next(r);
                }
                return b;
            }
            default -> { // splice with another sample
                return concat(Arrays.copyOf(b, at), Arrays.copyOfRange(other, r.nextInt(other.length + 1),
                        other.length));
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** UTF-8 bytes of a string (for byte-level mutation of text samples). */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
