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

    private static final NativeHost DEBIAN_X64 = new NativeHost("linux", "x86_64", NativeHost.Distro.DEBIAN);

    private static RtcatException describeOnDebian(Throwable error) {
        return NativeLibrary.describe(error, DEBIAN_X64);
    }

    private static void assertOneLine(String s) {
        assertFalse(s.contains("\n") || s.contains("\r"), "must be one line: " + s);
    }

    @Test
    void missingLibpulseNamesTheLibraryAndThePackage() {
        UnsatisfiedLinkError ule = new UnsatisfiedLinkError(PULSE);
        RtcatException e = describeOnDebian(ule);
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
        RtcatException e = describeOnDebian(new UnsatisfiedLinkError(
                "/tmp/libwebrtc-java9.so: " + lib + ": cannot open shared object file: No such file or directory"));
        assertTrue(e.getMessage().contains(lib), e.getMessage());
        assertTrue(e.hint().endsWith("apt-get install -y " + pkg), e.hint());
    }

    @Test
    void unknownLibraryIsNamedInTheHint() {
        RtcatException e = describeOnDebian(new UnsatisfiedLinkError(
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
        RtcatException e = describeOnDebian(wrapper);
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
        RtcatException e = describeOnDebian(outer);
        assertTrue(e.getMessage().contains("libpulse.so.0"), e.getMessage());
    }

    @Test
    void noexecTemporaryDirectoryGetsItsOwnHint() {
        RtcatException e = describeOnDebian(new UnsatisfiedLinkError(
                "/tmp/libwebrtc-java5.so: /tmp/libwebrtc-java5.so: failed to map segment from shared object"));
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("temporary directory"), e.getMessage());
        assertTrue(e.hint().contains("java.io.tmpdir"), e.hint());
        assertOneLine(e.getMessage());
    }

    @Test
    void otherFailuresKeepOnlyTheFirstLine() {
        RtcatException e = describeOnDebian(new UnsatisfiedLinkError(
                "/lib64/libc.so.6: version `GLIBC_2.34' not found\nsecond line\nthird line"));
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("GLIBC_2.34"), e.getMessage());
        assertOneLine(e.getMessage());
        assertTrue(e.hint().contains("glibc"), e.hint());
    }

    @Test
    void errorWithoutAnyMessageIsStillDescribed() {
        RtcatException e = describeOnDebian(new UnsatisfiedLinkError());
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("UnsatisfiedLinkError"), e.getMessage());
        assertOneLine(e.getMessage());
    }

    @Test
    void aTemporaryDirectoryItCannotExtractIntoIsNamedWithTheFix() {
        Throwable chain = new ExceptionInInitializerError(new RuntimeException("Load library 'webrtc-java' failed",
                new java.nio.file.NoSuchFileException("/nope/libwebrtc-java-linux-x86_64123.so")));
        RtcatException e = describeOnDebian(chain);
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("cannot extract it into"), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchFileException"), e.getMessage());
        assertTrue(e.hint().contains("java.io.tmpdir"), e.hint());
    }

    @ParameterizedTest
    @CsvSource({
        "FEDORA, sudo dnf install -y pulseaudio-libs",
        "ARCH, sudo pacman -S --needed libpulse",
        "DEBIAN, sudo apt-get install -y libpulse0",
    })
    void theInstallCommandIsTheDistributions(NativeHost.Distro distro, String command) {
        RtcatException e = NativeLibrary.describe(new UnsatisfiedLinkError(PULSE),
                new NativeHost("linux", "aarch64", distro));
        assertTrue(e.hint().endsWith(command), e.hint());
        assertTrue(e.getMessage().contains("Linux aarch64"), "names the platform: " + e.getMessage());
        assertOneLine(e.hint());
    }

    @Test
    void anUnknownDistributionGetsEveryFamilysPackageOnOneLine() {
        RtcatException e = NativeLibrary.describe(new UnsatisfiedLinkError(PULSE),
                new NativeHost("linux", "x86_64", NativeHost.Distro.OTHER));
        assertTrue(e.hint().contains("Debian/Ubuntu: libpulse0"), e.hint());
        assertTrue(e.hint().contains("Fedora: pulseaudio-libs"), e.hint());
        assertTrue(e.hint().contains("Arch: libpulse"), e.hint());
        assertFalse(e.hint().contains("sudo"), "no command for a distribution we do not know: " + e.hint());
        assertOneLine(e.hint());
    }

    @ParameterizedTest
    @CsvSource({"macos, aarch64", "macos, x86_64", "windows, x86_64"})
    void macOsAndWindowsNeverGetLinuxPackageAdvice(String family, String arch) {
        NativeHost host = new NativeHost(family, arch, NativeHost.Distro.OTHER);
        RtcatException e = NativeLibrary.describe(new UnsatisfiedLinkError("some load failure"), host);
        assertTrue(e.getMessage().contains(host.displayName()), e.getMessage());
        for (String linuxTool : new String[] {"apt", "dnf", "pacman", "glibc"}) {
            assertFalse(e.hint().contains(linuxTool), linuxTool + " on " + family + ": " + e.hint());
        }
        assertOneLine(e.hint());
    }

    @Test
    void anUnsupportedPlatformIsNamedWithTheSupportedOnes() {
        RtcatException e = NativeLibrary.checkPresent(new NativeHost("freebsd", "x86_64", NativeHost.Distro.OTHER),
                true);
        assertEquals(RtcatException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("freebsd-x86_64"), e.getMessage());
        assertTrue(e.hint().contains("linux-aarch64") && e.hint().contains("windows-x86_64"), e.hint());
    }

    @Test
    void aBuildWithoutThisPlatformsLibraryPointsAtItsArchive() {
        NativeHost host = new NativeHost("linux", "aarch64", NativeHost.Distro.DEBIAN);
        RtcatException e = NativeLibrary.checkPresent(host, false);
        assertTrue(e.getMessage().contains("Linux aarch64"), e.getMessage());
        assertTrue(e.hint().contains("linux-aarch64"), e.hint());
        assertFalse(e.hint().contains("apt"), e.hint());
        assertEquals(null, NativeLibrary.checkPresent(host, true));
    }

    @ParameterizedTest
    @CsvSource({
        "Linux, amd64, libwebrtc-java-linux-x86_64.so",
        "Linux, aarch64, libwebrtc-java-linux-aarch64.so",
        "Linux, arm, libwebrtc-java-linux-aarch32.so",
        "Mac OS X, aarch64, libwebrtc-java-macos-aarch64.dylib",
        "Mac OS X, x86_64, libwebrtc-java-macos-x86_64.dylib",
        "Windows 11, amd64, webrtc-java-windows-x86_64.dll",
    })
    void theResourceNameIsTheOneWebrtcJavaExtracts(String osName, String osArch, String resource) {
        NativeHost host = new NativeHost(NativeHost.family(osName), NativeHost.arch(osArch), NativeHost.Distro.OTHER);
        assertTrue(host.supported(), host.toString());
        assertEquals(resource, host.libraryResource());
    }

    @Test
    void thisBuildCarriesTheRunningPlatformsLibrary() {
        // The default build (pom.xml) has the linux-x86_64 classifier; the dist archives carry one each.
        NativeHost host = NativeHost.current();
        assertEquals(null, NativeLibrary.checkPresent(host,
                NativeLibrary.class.getClassLoader().getResource(host.libraryResource()) != null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ID=debian|DEBIAN",
        "ID=ubuntu;ID_LIKE=debian|DEBIAN",
        "ID=linuxmint;ID_LIKE='ubuntu debian'|DEBIAN",
        "ID=fedora|FEDORA",
        "ID='rocky';ID_LIKE='rhel centos fedora'|FEDORA",
        "ID=arch|ARCH",
        "ID=manjaro;ID_LIKE=arch|ARCH",
        "ID=alpine|OTHER",
        "NAME=nothing|OTHER",
    })
    void osReleaseMapsToTheInstallerFamily(String osRelease, NativeHost.Distro expected) {
        assertEquals(expected, NativeHost.distro(osRelease.replace(';', '\n').replace('\'', '"')));
    }
}
