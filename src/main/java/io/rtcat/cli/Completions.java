package io.rtcat.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Shell completion scripts generated from the picocli model. {@code completions/} holds the committed
 * copies; a test fails when they are stale. Regenerate with {@code scripts/gen-completions}.
 */
public final class Completions {

    private Completions() {
    }

    /** Picocli's script, with directories (not files) for --out, which names a directory. */
    static String bash() {
        return OUT_FILES.matcher(AutoComplete.bash("rtcat", model()))
                .replaceAll("$1compgen -d -- \"\\${curr_word}\" ) ) # directories");
    }

    /** Picocli's file completion in the case for -o/--out (the case line, two set-up lines, then compgen). */
    private static final Pattern OUT_FILES = Pattern.compile(
            "('-o'\\|'--out'\\)\n(?:[^\n]*\n){2}\\s*COMPREPLY=\\( \\$\\( )compgen -f -- \"\\$\\{curr_word\\}\" \\) \\) # files");

    /**
     * zsh runs the bash script through bashcompinit. It does not call compinit itself: that is the user's
     * .zshrc's job, and calling it again from a completion file slows every shell start and resets settings.
     */
    static String zsh() {
        return "#compdef rtcat\n"
                + "# zsh completion for rtcat: put this file on your $fpath as _rtcat (after compinit has run).\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + bash().replace(PICOCLI_COMPINIT, "");
    }

    /** The guarded compinit call in picocli's script, for zsh users who source the bash file. */
    private static final String PICOCLI_COMPINIT = "  if ! type compdef > /dev/null; then\n"
            + "    autoload -U +X compinit && compinit\n  fi\n";

    /** fish: one `complete` line per command and option, from the same model. */
    static String fish() {
        StringBuilder sb = new StringBuilder("# fish completion for rtcat: copy to ~/.config/fish/completions/rtcat.fish\n");
        sb.append("complete -c rtcat -f\n");
        CommandLine top = model();
        for (Map.Entry<String, CommandLine> e : top.getSubcommands().entrySet()) {
            CommandLine.Model.CommandSpec spec = e.getValue().getCommandSpec();
            if (spec.usageMessage().hidden()) {
                continue;
            }
            sb.append("complete -c rtcat -n __fish_use_subcommand -a ").append(e.getKey()).append(" -d ")
                    .append(fishQuote(firstLine(spec.usageMessage().description()))).append('\n');
            for (CommandLine.Model.OptionSpec o : spec.options()) {
                if (o.hidden()) {
                    continue;
                }
                sb.append("complete -c rtcat -n '__fish_seen_subcommand_from ").append(e.getKey()).append('\'');
                for (String name : o.names()) {
                    sb.append(name.startsWith("--") ? " -l " + name.substring(2) : " -s " + name.substring(1));
                }
                if (o.arity().max() > 0) {
                    if (o.completionCandidates() != null) {
                        sb.append(" -x -a ").append(fishQuote(String.join(" ", o.completionCandidates())));
                    } else if ("DIR".equals(o.paramLabel())) {
                        sb.append(" -x -a '(__fish_complete_directories)'");
                    } else if (o.type() == Path.class || o.type() == File.class
                            || "FILE".equals(o.paramLabel())) {
                        sb.append(" -r -F");
                    } else {
                        sb.append(" -x");
                    }
                }
                sb.append(" -d ").append(fishQuote(firstLine(o.description()))).append('\n');
            }
        }
        return sb.toString();
    }

    private static String firstLine(String[] description) {
        String text = description.length == 0 ? "" : description[0];
        int end = text.indexOf(". ");
        text = end > 0 ? text.substring(0, end) : text;
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    private static String fishQuote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static CommandLine model() {
        StringWriter sink = new StringWriter();
        return Main.commandLine(new Console(new PrintWriter(sink), new PrintWriter(sink), false));
    }

    /** Writes {@code rtcat.bash}, {@code _rtcat} and {@code rtcat.fish} into the directory given as the only argument. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length == 1 ? args[0] : "completions");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("rtcat.bash"), bash(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("_rtcat"), zsh(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("rtcat.fish"), fish(), StandardCharsets.UTF_8);
    }
}
