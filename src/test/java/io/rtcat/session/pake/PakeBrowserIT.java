package io.rtcat.session.pake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtcat.errors.RtcatException;
import io.rtcat.testing.HeadlessChromium;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptException;

/**
 * The web page's crypto (pake.js) in a real Chromium against this side's Java: SHA-256 and HMAC against the JDK,
 * J-PAKE against {@link PakeSession} (BouncyCastle) message by message, and the fingerprint binding against
 * {@link FingerprintBinding}, in both directions.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PakeBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OFFER = "v=0\r\na=fingerprint:sha-256 AB:CD:EF:01\r\nm=application\r\n";
    private static final String ANSWER = "v=0\r\nm=application\r\na=fingerprint:sha-256 12:34:56:78\r\n";

    @TempDir
    static Path tmp;
    private static HeadlessChromium chromium;

    @BeforeAll
    static void loadPakeJs() throws Exception {
        chromium = HeadlessChromium.start(tmp.resolve("profile"), tmp.resolve("dl"));
        chromium.driver().get("about:blank");
        String source;
        try (InputStream in = PakeBrowserIT.class.getResourceAsStream("/web/pake.js")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        js(source + "\nwindow.rtcatCrypto = rtcatCrypto; return 'ok';");
    }

    @AfterAll
    static void quit() {
        if (chromium != null) {
            chromium.close();
        }
    }

    private static Object js(String script, Object... args) {
        return chromium.driver().executeScript(script, args);
    }

    private static Map<String, String> map(Object json) throws Exception {
        return JSON.readValue((String) json, new TypeReference<Map<String, String>>() {});
    }

    @Test
    void sha256AndHmacMatchTheJdk() throws Exception {
        Random r = new Random(7);
        for (int n : new int[] {0, 1, 55, 56, 63, 64, 65, 119, 1000, 70000}) {
            byte[] data = new byte[n];
            r.nextBytes(data);
            byte[] key = new byte[n % 90];
            r.nextBytes(key);
            String hex = HexFormat.of().formatHex(data);
            String keyHex = HexFormat.of().formatHex(key);
            Object got = js("const c = window.rtcatCrypto;"
                    + "const b = (h) => new Uint8Array((h.match(/../g) || []).map((x) => parseInt(x, 16)));"
                    + "return c.hex(new c.Sha256().update(b(arguments[0])).digest()) + ' '"
                    + " + c.hex(c.hmacSha256(b(arguments[1]), b(arguments[0])));", hex, keyHex);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            String expectedMac = key.length == 0 ? null : HexFormat.of().formatHex(mac.doFinal(data));
            String[] parts = ((String) got).split(" ");
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), parts[0], "n=" + n);
            if (expectedMac != null) {
                assertEquals(expectedMac, parts[1], "hmac n=" + n);
            }
        }
    }

    @Test
    void theSameCodeGivesBothSidesTheSameKeyAndBindingsVerifyBothWays() throws Exception {
        for (int run = 0; run < 4; run++) { // the proofs' hashes are signed numbers: negative ones turn up too
            boolean javaSends = run % 2 == 0;
            PakeSession java = new PakeSession("7-crossbow-orbit",
                    javaSends ? PakeSession.Role.SENDER : PakeSession.Role.RECEIVER, new SecureRandom());
            Map<String, String> browser1 = map(js("window.s = new window.rtcatCrypto.PakeSession(arguments[0], "
                    + "arguments[1]); return JSON.stringify(window.s.round1());", "7-crossbow-orbit",
                    javaSends ? "rtcat-receiver" : "rtcat-sender"));
            Map<String, String> java1 = java.round1();
            java.acceptRound1(browser1);
            Map<String, String> browser2 = map(js("window.s.acceptRound1(JSON.parse(arguments[0]));"
                    + "return JSON.stringify(window.s.round2());", JSON.writeValueAsString(java1)));
            Map<String, String> java2 = java.round2();
            java.acceptRound2(browser2);
            Map<String, String> browser3 = map(js("window.s.acceptRound2(JSON.parse(arguments[0]));"
                    + "return JSON.stringify(window.s.round3());", JSON.writeValueAsString(java2)));
            Map<String, String> java3 = java.round3();
            java.acceptRound3(browser3);
            String browserKey = (String) js("window.k = window.s.acceptRound3(JSON.parse(arguments[0]));"
                    + "return window.rtcatCrypto.hex(window.k);", JSON.writeValueAsString(java3));
            byte[] key = java.sessionKey();
            assertEquals(HexFormat.of().formatHex(key), browserKey);

            String browserMac = (String) js("return window.rtcatCrypto.bindingMac(window.k, 'answerer', "
                    + "arguments[0], arguments[1]);", OFFER, ANSWER);
            assertTrue(FingerprintBinding.verify(key, "answerer", OFFER, ANSWER, browserMac));
            String javaMac = FingerprintBinding.mac(key, "offerer", OFFER, ANSWER);
            assertEquals(Boolean.TRUE, js("return window.rtcatCrypto.checkBinding(window.k, 'offerer', "
                    + "arguments[0], arguments[1], arguments[2]);", OFFER, ANSWER, javaMac));
            assertEquals(Boolean.FALSE, js("return window.rtcatCrypto.checkBinding(window.k, 'offerer', "
                    + "arguments[0], arguments[1], arguments[2]);", OFFER.replace("AB:CD", "AB:CE"), ANSWER,
                    javaMac));
        }
    }

    @Test
    void aDifferentCodeFailsKeyConfirmationOnBothSides() throws Exception {
        PakeSession java = new PakeSession("7-crossbow-orbit", PakeSession.Role.SENDER, new SecureRandom());
        Map<String, String> browser1 = map(js("window.w = new window.rtcatCrypto.PakeSession('7-crossbow-orbiz', "
                + "'rtcat-receiver'); return JSON.stringify(window.w.round1());"));
        Map<String, String> java1 = java.round1();
        java.acceptRound1(browser1);
        Map<String, String> browser2 = map(js("window.w.acceptRound1(JSON.parse(arguments[0]));"
                + "return JSON.stringify(window.w.round2());", JSON.writeValueAsString(java1)));
        Map<String, String> java2 = java.round2();
        java.acceptRound2(browser2);
        Map<String, String> browser3 = map(js("window.w.acceptRound2(JSON.parse(arguments[0]));"
                + "return JSON.stringify(window.w.round3());", JSON.writeValueAsString(java2)));
        Map<String, String> java3 = java.round3();
        RtcatException e = assertThrows(RtcatException.class, () -> java.acceptRound3(browser3));
        assertEquals(PakeSession.MISMATCH_MESSAGE, e.getMessage());
        JavascriptException js = assertThrows(JavascriptException.class,
                () -> js("window.w.acceptRound3(JSON.parse(arguments[0]));", JSON.writeValueAsString(java3)));
        assertTrue(js.getMessage().contains("code phrase mismatch"), js.getMessage());
    }
}
