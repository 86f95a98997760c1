package io.rtcat.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The machine as the native loader sees it: webrtc-java's platform classifier (os-arch, named the way its
 * NativeLoader names them) and, on Linux, which distribution family installs the missing libraries.
 */
record NativeHost(String family, String arch, Distro distro) {

    /** Platforms webrtc-java 0.14.0 publishes a native library for. */
    static final List<String> SUPPORTED = List.of("linux-x86_64", "linux-aarch64", "linux-aarch32", "macos-x86_64",
            "macos-aarch64", "windows-x86_64");

    enum Distro { DEBIAN, FEDORA, ARCH, OTHER }

    static NativeHost current() {
        String family = family(System.getProperty("os.name", ""));
        return new NativeHost(family, arch(System.getProperty("os.arch", "")),
                family.equals("linux") ? distro(osRelease()) : Distro.OTHER);
    }

    static String family(String osName) {
        String n = osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return "linux";
        }
        if (n.startsWith("mac")) {
            return "macos";
        }
        if (n.startsWith("windows")) {
            return "windows";
        }
        return n.isEmpty() ? "unknown" : n.replace(' ', '_');
    }

    static String arch(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        switch (a) {
            case "x86_64", "x86-64", "amd64":
                return "x86_64";
            case "aarch64", "arm64":
                return "aarch64";
            case "arm", "aarch32":
                return "aarch32";
            default:
                return a.isEmpty() ? "unknown" : a;
        }
    }

    /** From /etc/os-release's ID and ID_LIKE (e.g. ubuntu -> "ubuntu debian"). */
    static Distro distro(String osRelease) {
        Set<String> ids = new LinkedHashSet<>();
        for (String line : osRelease.split("\n")) {
            if (line.startsWith("ID=") || line.startsWith("ID_LIKE=")) {
                String v = line.substring(line.indexOf('=') + 1).replace("\"", "").replace("'", "");
                ids.addAll(List.of(v.trim().toLowerCase(Locale.ROOT).split("\\s+")));
            }
        }
        if (ids.contains("debian") || ids.contains("ubuntu")) {
            return Distro.DEBIAN;
        }
        if (ids.contains("fedora") || ids.contains("rhel") || ids.contains("centos")) {
            return Distro.FEDORA;
        }
        if (ids.contains("arch")) {
            return Distro.ARCH;
        }
        return Distro.OTHER;
    }

    private static String osRelease() {
        for (String f : List.of("/etc/os-release", "/usr/lib/os-release")) {
            try {
                return Files.readString(Path.of(f));
            } catch (IOException | RuntimeException e) {
                // try the next one; none means "other"
            }
        }
        return "";
    }

    String classifier() {
        return family + "-" + arch;
    }

    boolean supported() {
        return SUPPORTED.contains(classifier());
    }

    /** The resource webrtc-java's loader extracts: System.mapLibraryName of "webrtc-java-" + classifier. */
    String libraryResource() {
        String base = "webrtc-java-" + classifier();
        return switch (family) {
            case "windows" -> base + ".dll";
            case "macos" -> "lib" + base + ".dylib";
            default -> "lib" + base + ".so";
        };
    }

    /** "Linux aarch64", "macOS aarch64 (Apple silicon)", "Windows x86_64". */
    String displayName() {
        return switch (family) {
            case "linux" -> "Linux " + arch;
            case "macos" -> "macOS " + arch + (arch.equals("aarch64") ? " (Apple silicon)" : "");
            case "windows" -> "Windows " + arch;
            default -> family + " " + arch;
        };
    }
}
