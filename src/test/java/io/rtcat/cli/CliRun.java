package io.rtcat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs rtcat in this JVM with captured stdout/stderr (everything but System.exit). */
record CliRun(int exitCode, String out, String err) {

    /** Builds the model as {@code main} does: only the subcommands these arguments need. */
    static CliRun of(String... args) {
        return withInput("", args);
    }

    /** Like {@link #of}, with {@code stdin} as standard input. */
    static CliRun withInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Console console = new Console(new PrintWriter(out, true), new PrintWriter(err, true), false,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), OutputStream.nullOutputStream());
        int code = Main.commandLine(console, RtcatCommand.neededFor(args)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
