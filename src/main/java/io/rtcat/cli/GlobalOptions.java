package io.rtcat.cli;

import picocli.CommandLine.Option;

/** Flags every command takes. */
public final class GlobalOptions {

    @Option(names = {"-v", "--verbose"},
            description = "Say what happens step by step and show stack traces; -vv adds libwebrtc's own log.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no messages on stderr, only errors.")
    boolean quiet;

    @Option(names = "--json", description = "Print one JSON document on stdout (with an \"error\" field on failure).")
    boolean json;

    int verbosity() {
        return verbose.length;
    }
}
