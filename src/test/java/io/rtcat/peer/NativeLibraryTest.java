package io.rtcat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.errors.RtcatException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Only {@link NativeLibrary#describe}: nothing here loads the native library. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NativeLibraryTest {

    private static final String PULSE = "/tmp/libwebrtc-java123.so: libpulse.so.0: cannot open shared object file: "
            + "No such file or directory";

    private static void assertOneLine(String s) {
        assertFalse(s.contains("\n") || s.contains("\r"), "must be one line: " + s);
    }

    @Test
    void missingLibpulseNamesTheLibraryAndThePackage() {
        UnsatisfiedLinkError ule = new UnsatisfiedLinkError(PULSE);
        RtcatException e = NativeLibrary.describe(ule);
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("libpulse.so.0"), e.getMessage());
        assertFalse(e.getMessage().contains("libwebrtc-java123"), "names the missing dependency, not the .so: "
                + e.getMessage());
        assertOneLine(e.getMessage());
        assertTrue(e.hint().contains("apt-get install -y libpulse0"), e.hint());
        assertOneLine(e.hint());
        assertSame(ule, e.getCause());
    }

    @ParameterizedTest
    @CsvSource({
        "libudev.so.1, libudev1",
        "libX11.so.6, libx11-6",
        "libXfixes.so.3, libxfixes3",
        "libXrandr.so.2, libxrandr2",
        "libXcomposite.so.1, libxcomposite1",
        "libdbus-1.so.3, libdbus-1-3",
    })
    void knownLibrariesMapToTheirDebianPackage(String lib, String pkg) {
        RtcatException e = NativeLibrary.describe(new UnsatisfiedLinkError(
                "/tmp/libwebrtc-java9.so: " + lib + ": cannot open shared object file: No such file or directory"));
        assertTrue(e.getMessage().contains(lib), e.getMessage());
        assertTrue(e.hint().endsWith("apt-get install -y " + pkg), e.hint());
    }

    @Test
    void unknownLibraryIsNamedInTheHint() {
        RtcatException e = NativeLibrary.describe(new UnsatisfiedLinkError(
                "/tmp/libwebrtc-java1.so: libfoo-bar.so.7.2: cannot open shared object file: No such file or directory"));
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("libfoo-bar.so.7.2"), e.getMessage());
        assertTrue(e.hint().contains("libfoo-bar.so.7.2"), e.hint());
        assertFalse(e.hint().contains("apt-get install -y libpulse0"), e.hint());
        assertOneLine(e.getMessage());
    }

    @Test
    void wrappedCauseChainIsSearched() {
        UnsatisfiedLinkError ule = new UnsatisfiedLinkError(PULSE);
        ExceptionInInitializerError wrapper = new ExceptionInInitializerError(ule);
        RtcatException e = NativeLibrary.describe(wrapper);
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("libpulse.so.0"), e.getMessage());
        assertTrue(e.hint().contains("apt-get install -y libpulse0"), e.hint());
        assertOneLine(e.getMessage());
        assertSame(wrapper, e.getCause());
    }

    @Test
    void deeplyWrappedCauseIsFound() {
        Throwable t = new RuntimeException("failed to load", new IllegalStateException("static init",
                new UnsatisfiedLinkError(PULSE)));
        NoClassDefFoundError outer = new NoClassDefFoundError("Could not initialize class PeerConnectionFactory");
        outer.initCause(t);
        RtcatException e = NativeLibrary.describe(outer);
        assertTrue(e.getMessage().contains("libpulse.so.0"), e.getMessage());
    }

    @Test
    void noexecTemporaryDirectoryGetsItsOwnHint() {
        RtcatException e = NativeLibrary.describe(new UnsatisfiedLinkError(
                "/tmp/libwebrtc-java5.so: /tmp/libwebrtc-java5.so: failed to map segment from shared object"));
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("temporary directory"), e.getMessage());
        assertTrue(e.hint().contains("java.io.tmpdir"), e.hint());
        assertOneLine(e.getMessage());
    }

    @Test
    void otherFailuresKeepOnlyTheFirstLine() {
        RtcatException e = NativeLibrary.describe(new UnsatisfiedLinkError(
                "/lib64/libc.so.6: version `GLIBC_2.34' not found\nsecond line\nthird line"));
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("GLIBC_2.34"), e.getMessage());
        assertOneLine(e.getMessage());
        assertTrue(e.hint().contains("glibc"), e.hint());
    }

    @Test
    void errorWithoutAnyMessageIsStillDescribed() {
        RtcatException e = NativeLibrary.describe(new UnsatisfiedLinkError());
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("UnsatisfiedLinkError"), e.getMessage());
        assertOneLine(e.getMessage());
    }

    @Test
    void aTemporaryDirectoryItCannotExtractIntoIsNamedWithTheFix() {
        Throwable chain = new ExceptionInInitializerError(new RuntimeException("Load library 'webrtc-java' failed",
                new java.nio.file.NoSuchFileException("/nope/libwebrtc-java-linux-x86_64123.so")));
        RtcatException e = NativeLibrary.describe(chain);
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("cannot extract it into"), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchFileException"), e.getMessage());
        assertTrue(e.hint().contains("java.io.tmpdir"), e.hint());
    }
}
