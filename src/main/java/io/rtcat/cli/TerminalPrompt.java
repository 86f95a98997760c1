package io.rtcat.cli;

import io.rtcat.errors.Threads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Asks the user something on the controlling terminal, /dev/tty, so that prompts work even when
 * stdout is a pipe (`rtcat receive --stdout | tar x`), where {@link System#console()} gives up.
 */
final class TerminalPrompt {

    private static final Path TTY = Path.of("/dev/tty");

    private TerminalPrompt() {
    }

    /** True when there is a terminal to ask on. */
    static boolean available() {
        if (!Files.isReadable(TTY) || !Files.isWritable(TTY)) {
            return false;
        }
        try (var in = Files.newInputStream(TTY)) {
            return true;
        } catch (IOException e) {
            return false; // no controlling terminal (daemon, CI job)
        }
    }

    /**
     * Prints {@code text} and then {@code question}, and returns the line typed, or null without a terminal.
     * Ctrl-C while waiting (the command thread is interrupted) also gives null, i.e. "no", with the interrupt
     * flag kept: a read from /dev/tty cannot be interrupted, so it runs on a daemon thread that is left behind.
     */
    static String ask(String text, String question) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Threads.daemon("rtcat-prompt", () -> answer.complete(askNow(text, question))).start();
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private static String askNow(String text, String question) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(TTY),
                StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(new OutputStreamWriter(Files.newOutputStream(TTY),
                        StandardCharsets.UTF_8), true)) {
            out.print(text);
            out.print(question);
            out.flush();
            return in.readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
