package io.rtcat.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One `rtcat` run as a separate JVM (the shaded jar), with its output captured while it runs. */
public final class RtcatProcess implements AutoCloseable {

    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outPump;
    private final Thread errPump;

    private RtcatProcess(Process process) {
        this.process = process;
        this.outPump = pump(process.getInputStream(), out);
        this.errPump = pump(process.getErrorStream(), err);
    }

    public static RtcatProcess start(Map<String, String> env, Path stdin, String... args) throws IOException {
        return start(List.of(), env, stdin, args);
    }

    /**
     * Like {@link #start(Map, Path, String...)} with the command run through {@code prefix}, e.g.
     * {@link #DEFAULT_SIGNALS} so that SIGINT reaches rtcat even where the build itself ignores it (a background
     * job of a script inherits SIGINT ignored, and a JVM leaves an ignored SIGINT ignored).
     */
    public static RtcatProcess start(List<String> prefix, Map<String, String> env, Path stdin, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(command(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        return new RtcatProcess(pb.start());
    }

    /** Restores the default action of SIGINT and SIGTERM for the command (coreutils env). */
    public static final List<String> DEFAULT_SIGNALS = List.of("env", "--default-signal=INT,TERM");

    /** The java command line that runs the jar with {@code args}. */
    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:+UseSerialGC", "-Xmx256m", "-jar",
                System.getProperty("rtcat.jar", "target/rtcat.jar")));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Sends {@code signal} ("INT", "TERM") to the process. */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public static RtcatProcess start(String... args) throws IOException {
        return start(Map.of(), null, args);
    }

    private static String javaBin() {
        String real = System.getenv("RTCAT_REAL_JAVA");
        return real != null ? real : System.getProperty("java.home") + File.separator + "bin" + File.separator
                + "java";
    }

    private void awaitPumped(Thread pump, String stream) throws InterruptedException {
        pump.join(TimeUnit.SECONDS.toMillis(30));
        if (pump.isAlive()) {
            throw new AssertionError("rtcat exited but its " + stream + " stayed open for 30 s (a child process "
                    + "holding it?)\n" + this);
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "rtcat-output-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until stderr matches {@code regex}; returns group 1. */
    public String awaitStderr(String regex, long seconds) throws InterruptedException {
        return awaitMatch(regex, seconds, false);
    }

    private String awaitMatch(String regex, long seconds, boolean stdout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(stdout ? stdout() : stderr());
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                break;
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("no match for /" + regex + "/ within " + seconds + " s\n" + this);
    }

    /** Waits until stdout matches {@code regex}; returns group 1. */
    public String awaitStdout(String regex, long seconds) throws InterruptedException {
        return awaitMatch(regex, seconds, true);
    }

    /** Waits for exit; returns the exit code. */
    public int await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            String threads = threadDump();
            process.destroyForcibly();
            throw new AssertionError("rtcat did not exit within " + seconds + " s\n" + this + threads);
        }
        // The process has exited, so both pipes are at end of file: wait for the pumps to have read everything
        // (a short bound here once cut a report off on a loaded machine and the test saw empty output).
        awaitPumped(outPump, "stdout");
        awaitPumped(errPump, "stderr");
        return process.exitValue();
    }

    /**
     * For a process that hangs: its threads, as the JVM prints them on SIGQUIT (to its stdout), so that the failure
     * says where it is stuck. Waits for the dump's last line, at most a few seconds.
     */
    private String threadDump() throws InterruptedException {
        int before = stdoutBytes().length;
        try {
            Process kill = new ProcessBuilder("kill", "-QUIT", String.valueOf(process.pid())).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            return "\n--- no thread dump: " + e;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String dump = "";
        while (System.nanoTime() < deadline && process.isAlive()) {
            byte[] all = stdoutBytes();
            dump = new String(all, before, all.length - before, StandardCharsets.UTF_8);
            if (dump.contains("JNI global refs")) { // HotSpot's dump ends with this line
                break;
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        return "\n--- threads (SIGQUIT)\n" + dump;
    }

    public long pid() {
        return process.pid();
    }

    public byte[] stdoutBytes() {
        synchronized (out) {
            return out.toByteArray();
        }
    }

    public String stdout() {
        return new String(stdoutBytes(), StandardCharsets.UTF_8);
    }

    public String stderr() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public String toString() {
        return "--- stdout\n" + (stdoutBytes().length > 4096 ? "(" + stdoutBytes().length + " bytes)" : stdout())
                + "--- stderr\n" + stderr();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
