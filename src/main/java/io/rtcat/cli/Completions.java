package io.rtcat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Shell completion scripts generated from the picocli model. {@code completions/} holds the committed
 * copies; a test fails when they are stale. Regenerate with {@code scripts/gen-completions}.
 */
public final class Completions {

    private Completions() {
    }

    static String bash() {
        return AutoComplete.bash("rtcat", model());
    }

    /** zsh runs the bash script through bashcompinit. */
    static String zsh() {
        return "#compdef rtcat\n"
                + "# zsh completion for rtcat: put this file on your $fpath as _rtcat.\n"
                + "autoload -U +X compinit && compinit\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + bash();
    }

    private static CommandLine model() {
        StringWriter sink = new StringWriter();
        return Main.commandLine(new Console(new PrintWriter(sink), new PrintWriter(sink), false));
    }

    /** Writes {@code rtcat.bash} and {@code _rtcat} into the directory given as the only argument. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length == 1 ? args[0] : "completions");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("rtcat.bash"), bash(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("_rtcat"), zsh(), StandardCharsets.UTF_8);
    }
}
