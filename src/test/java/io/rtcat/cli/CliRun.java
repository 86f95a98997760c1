package io.rtcat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs rtcat in this JVM with captured stdout/stderr (everything but System.exit). */
record CliRun(int exitCode, String out, String err) {

    /** Builds the model as {@code main} does: only the subcommands these arguments need. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new Console(new PrintWriter(out, true), new PrintWriter(err, true), false),
                RtcatCommand.neededFor(args)).execute(args);
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
