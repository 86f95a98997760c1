package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.rtcat.session.pake.CodePhrase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The browser page speaks rtcat's protocols with its own copies of their constants and of the code word list;
 * this keeps the copies equal to the Java ones. It reads the scripts as the jar serves them (the built resources).
 * Here, in {@code transfer}, because some of the Java constants are package-private.
 */
class WebPageConstantsTest {

    @Test
    void transferConstantsMatchTheJavaProtocol() throws IOException {
        String js = script("transfer.js");
        assertEquals(ProtocolCodec.VERSION, constant(js, "PROTOCOL"));
        assertEquals(ProtocolCodec.DEFAULT_CHUNK_SIZE, constant(js, "CHUNK"));
        assertEquals(TransferDefaults.WINDOW, constant(js, "WINDOW"));
        assertEquals(BatchSender.MANIFEST_PAGE_BYTES, constant(js, "PAGE_BYTES"));
    }

    @Test
    void codeWordsMatchTheJavaList() throws IOException {
        String js = script("app.js");
        Matcher list = Pattern.compile("const WORDS = \\[(.*?)\\];", Pattern.DOTALL).matcher(js);
        assertNotNull(list.find() ? list.group(1) : null, "app.js has no `const WORDS = [...]`");
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("'([a-z]+)'").matcher(list.group(1));
        while (word.find()) {
            words.add(word.group(1));
        }
        assertEquals(CodePhrase.wordlist(), words);
    }

    /** The parser below finds what it is meant to, so that a renamed constant fails loudly rather than passing. */
    @Test
    void evaluatesProductsOfLiterals() {
        assertEquals(16L << 20, constant("  const WINDOW = 16 * 1024 * 1024;\n", "WINDOW"));
        assertEquals(60000L, constant("const PAGE_BYTES = 60000;", "PAGE_BYTES"));
    }

    private static String script(String name) throws IOException {
        try (InputStream in = WebPageConstantsTest.class.getResourceAsStream("/web/" + name)) {
            assertNotNull(in, "the built resources lack /web/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The value of {@code const NAME = a * b * ...;} (integer literals only). */
    private static long constant(String js, String name) {
        Matcher m = Pattern.compile("\\bconst " + name + " = ([0-9_ *]+);").matcher(js);
        assertNotNull(m.find() ? m.group(1) : null, "no numeric `const " + name + "` in the script");
        long value = 1;
        for (String factor : m.group(1).split("\\*")) {
            value *= Long.parseLong(factor.trim().replace("_", ""));
        }
        return value;
    }
}
