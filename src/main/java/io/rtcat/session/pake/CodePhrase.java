package io.rtcat.session.pake;

import io.rtcat.errors.RtcatException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A short code the two users exchange out of band, magic-wormhole style: {@code 7-crossbow-orbit}.
 *
 * <p>The leading number is the <em>nameplate</em>: it is public and names the signaling room, so two
 * people using the same server at the same time do not collide. The words are the secret. The whole
 * canonical text (number included) is the PAKE password, see {@link #secret()}; a generated code carries
 * 16 bits of secret entropy (two words out of {@value #WORDLIST_SIZE}), which is enough for a PAKE because
 * an attacker gets exactly one online guess per run.
 *
 * <p>Users may choose their own code (for example with {@code --code}); such words need not be in the
 * built-in list, only be plain lowercase letters. {@link #toString()} never shows the words.
 */
public final class CodePhrase {

    /** Number of words in the built-in list; each generated word carries 8 bits. */
    public static final int WORDLIST_SIZE = 256;

    /** Smallest and largest nameplate number a user may type. */
    public static final int MIN_NAMEPLATE = 1;
    public static final int MAX_NAMEPLATE = 999_999;
    /** Largest generated nameplate when peers meet only on a LAN or a signaling server: short to type. */
    public static final int MAX_LOCAL_NAMEPLATE = 999;
    /**
     * Largest generated nameplate when public trackers are in play: the swarm id is derived from the nameplate,
     * so the space must be large enough that strangers rarely share a swarm at the same moment.
     */
    public static final int MAX_INTERNET_NAMEPLATE = 99_999;

    /** Words in a generated code. */
    public static final int GENERATED_WORDS = 2;

    private static final int MIN_WORDS = 2;
    private static final int MAX_WORDS = 16;
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,6}");
    private static final Pattern WORD = Pattern.compile("[a-z]{2,32}");
    private static final Pattern SEPARATORS = Pattern.compile("[-_\\s]+");
    private static final String EXAMPLE = "7-crossbow-orbit";

    /**
     * Short, distinct, lowercase, 3-8 letter English words, chosen to be easy to type and spell and to
     * have no common homophones (no "bear"/"bare", "knight"/"night", "flower"/"flour" ...).
     */
    private static final List<String> WORDS = List.of(
            "acorn", "almond", "amber", "anchor", "apple", "apricot", "archer", "arrow", "aspen", "atlas",
            "avocado", "badger", "bagel", "bamboo", "banana", "banjo", "barrel", "basket", "beaver", "biscuit",
            "bison", "blanket", "bonfire", "bottle", "bramble", "bronze", "bubble", "bucket", "bugle", "butter",
            "button", "cabin", "cactus", "camel", "camera", "candle", "canoe", "canyon", "captain", "carpet",
            "cashew", "castle", "cello", "cherry", "chess", "circus", "clover", "cobalt", "cobra", "coconut",
            "comet", "compass", "cookie", "copper", "cotton", "cowboy", "coyote", "crayon", "cricket", "crimson",
            "crossbow", "crystal", "cushion", "daisy", "denim", "dolphin", "domino", "donkey", "dragon", "drum",
            "eagle", "easel", "echo", "eclipse", "elbow", "ember", "emerald", "engine", "falcon", "ferret",
            "fiddle", "flamingo", "flute", "forest", "fossil", "fountain", "fox", "galaxy", "garden", "garlic",
            "gecko", "giant", "gibbon", "ginger", "glacier", "goblin", "granite", "grape", "guitar", "hammer",
            "hamster", "harbor", "harp", "hazel", "helmet", "heron", "hippo", "hockey", "honey", "horizon",
            "hornet", "husky", "iceberg", "igloo", "indigo", "island", "ivory", "jackal", "jacket", "jasmine",
            "jelly", "jester", "jigsaw", "jungle", "kangaroo", "karate", "kayak", "kettle", "kitten", "kiwi",
            "koala", "ladder", "lagoon", "lantern", "lemon", "lemur", "lobster", "lotus", "magnet", "magpie",
            "mango", "maple", "marble", "marmot", "meadow", "melon", "meteor", "mitten", "monsoon", "muffin",
            "museum", "napkin", "nebula", "needle", "noodle", "nutmeg", "oasis", "ocean", "octopus", "olive",
            "onion", "orbit", "orchid", "otter", "owl", "oyster", "paddle", "palace", "panda", "parade",
            "parrot", "peanut", "pebble", "pelican", "pencil", "penguin", "pepper", "piano", "pickle", "pillow",
            "pilot", "pirate", "planet", "pocket", "potato", "prairie", "pretzel", "puffin", "pumpkin", "puppy",
            "puzzle", "quartz", "quilt", "rabbit", "radish", "rainbow", "raven", "ribbon", "robot", "rocket",
            "rugby", "saddle", "salmon", "scarlet", "shark", "sheriff", "shovel", "silver", "sloth", "snowman",
            "spider", "spoon", "squid", "stapler", "sunset", "sweater", "tablet", "teapot", "temple", "tennis",
            "thunder", "ticket", "tiger", "toast", "tomato", "tornado", "toucan", "tractor", "trumpet", "tuba",
            "tulip", "tundra", "tunnel", "turnip", "turtle", "unicorn", "valley", "velvet", "viking", "violet",
            "violin", "volcano", "waffle", "wagon", "wallet", "walnut", "walrus", "wasp", "weasel", "whistle",
            "willow", "wizard", "wombat", "yogurt", "zebra", "zipper");

    private final int number;
    private final List<String> words;

    private CodePhrase(int number, List<String> words) {
        this.number = number;
        this.words = List.copyOf(words);
    }

    /** A fresh random code: a nameplate 1..999 and two words from {@link #wordlist()}. */
    public static CodePhrase generate(SecureRandom rnd) {
        return generate(rnd, false);
    }

    /**
     * A fresh random code; {@code internet}: a nameplate 1..{@value #MAX_INTERNET_NAMEPLATE} for rendezvous on
     * public trackers, else 1..{@value #MAX_LOCAL_NAMEPLATE}.
     */
    public static CodePhrase generate(SecureRandom rnd, boolean internet) {
        Objects.requireNonNull(rnd, "rnd");
        int max = internet ? MAX_INTERNET_NAMEPLATE : MAX_LOCAL_NAMEPLATE;
        int number = MIN_NAMEPLATE + rnd.nextInt(max - MIN_NAMEPLATE + 1);
        List<String> chosen = new ArrayList<>(GENERATED_WORDS);
        for (int i = 0; i < GENERATED_WORDS; i++) {
            chosen.add(WORDS.get(rnd.nextInt(WORDS.size())));
        }
        return new CodePhrase(number, chosen);
    }

    /**
     * Parses a code as typed by a user. Surrounding whitespace and uppercase are accepted, and
     * {@code _} or spaces may stand in for {@code -}. The number must be 1-999999 (leading zeros are
     * dropped), followed by 2 to 16 words of 2-32 letters a-z each.
     *
     * @throws RtcatException {@link RtcatException.Kind#USAGE} if the text is not a valid code
     */
    public static CodePhrase parse(String text) throws RtcatException {
        if (text == null) {
            throw invalid("", "no code given");
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw invalid(trimmed, "the code is empty");
        }
        String[] parts = SEPARATORS.split(trimmed.toLowerCase(Locale.ROOT), -1);
        if (!NUMBER.matcher(parts[0]).matches()) {
            throw invalid(trimmed, "the code must start with a number from 1 to 999999");
        }
        int number = Integer.parseInt(parts[0]);
        if (number < MIN_NAMEPLATE || number > MAX_NAMEPLATE) {
            throw invalid(trimmed, "the code must start with a number from 1 to 999999");
        }
        int wordCount = parts.length - 1;
        if (wordCount < MIN_WORDS) {
            throw invalid(trimmed, "the code needs at least two words after the number");
        }
        if (wordCount > MAX_WORDS) {
            throw invalid(trimmed, "the code may have at most " + MAX_WORDS + " words");
        }
        List<String> words = new ArrayList<>(wordCount);
        for (int i = 1; i < parts.length; i++) {
            if (!WORD.matcher(parts[i]).matches()) {
                throw invalid(trimmed, "each word must be 2 to 32 letters a-z");
            }
            words.add(parts[i]);
        }
        return new CodePhrase(number, words);
    }

    private static RtcatException invalid(String shown, String hint) {
        return new RtcatException(RtcatException.Kind.USAGE,
                "invalid code '" + printable(shown) + "': expected NUMBER-WORD-WORD, e.g. " + EXAMPLE, hint);
    }

    /** Keeps the error message on one line and of bounded length. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (b.length() < s.length()) {
            b.append('…');
        }
        return b.toString();
    }

    /** The built-in list of {@value #WORDLIST_SIZE} distinct words used by {@link #generate}. Unmodifiable. */
    public static List<String> wordlist() {
        return WORDS;
    }

    /**
     * The public part: the number as decimal text, e.g. {@code "7"}. Used as the signaling room name,
     * so it never contains any of the words.
     */
    public String nameplate() {
        return Integer.toString(number);
    }

    /** The words (the secret part), lowercase, in order. */
    public List<String> words() {
        return words;
    }

    /** The canonical text, e.g. {@code 7-crossbow-orbit}: what a user types on the other side. */
    public String text() {
        return nameplate() + "-" + String.join("-", words);
    }

    /**
     * The PAKE password: the whole canonical text. Including the nameplate binds the key to the room,
     * and canonicalisation makes {@code " 7 Crossbow_ORBIT"} and {@code 7-crossbow-orbit} agree.
     */
    public String secret() {
        return text();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodePhrase other && number == other.number && words.equals(other.words);
    }

    @Override
    public int hashCode() {
        return 31 * number + words.hashCode();
    }

    /** A redacted form such as {@code 7-…}, safe for logs: the words are never shown. */
    @Override
    public String toString() {
        return nameplate() + "-…";
    }

    static {
        if (WORDS.size() != WORDLIST_SIZE || WORDS.stream().distinct().count() != WORDLIST_SIZE) {
            throw new IllegalStateException("code phrase word list must hold 256 distinct words");
        }
    }
}
