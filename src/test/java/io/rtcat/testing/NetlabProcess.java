package io.rtcat.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process started by the tests (usually {@code netlab.sh exec SITE -- java -jar rtcat.jar ...}), with
 * stdout and stderr captured while it runs. Every wait is bounded; {@link #close()} always ends the process
 * (TERM, then KILL) and any children it left.
 */
public final class NetlabProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final long startNanos = System.nanoTime();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outPump;
    private final Thread errPump;
    private volatile long exitNanos = -1;

    private NetlabProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.outPump = pump(process.getInputStream(), out, name + "-stdout");
        this.errPump = pump(process.getErrorStream(), err, name + "-stderr");
        process.onExit().thenRun(() -> exitNanos = System.nanoTime());
    }

    /** Starts {@code command} with {@code env} added to this JVM's environment; stdin is empty. */
    public static NetlabProcess start(String name, List<String> command, Map<String, String> env)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new NetlabProcess(name, pb.start());
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink, String threadName) {
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
                // the process ended
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until stdout matches {@code regex} and returns group 1; fails if the process exits first. */
    public String awaitStdout(String regex, long seconds) throws InterruptedException {
        return awaitMatch(regex, seconds, true);
    }

    /** Waits until stderr matches {@code regex} and returns group 1; fails if the process exits first. */
    public String awaitStderr(String regex, long seconds) throws InterruptedException {
        return awaitMatch(regex, seconds, false);
    }

    private String awaitMatch(String regex, long seconds, boolean stdout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Matcher m = p.matcher(stdout ? stdout() : stderr());
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") before printing /" + regex
                        + "/\n" + this);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no /" + regex + "/ on " + (stdout ? "stdout" : "stderr")
                        + " within " + seconds + " s\n" + this);
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
    }

    /** Waits at most {@code seconds} for the exit; returns the exit code or throws (and kills it) on timeout. */
    public int await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            close();
            throw new AssertionError(name + " did not exit within " + seconds + " s\n" + this);
        }
        // The process has exited, so its pipes are at end of file: wait until the pumps have read everything.
        awaitPumped(outPump, "stdout");
        awaitPumped(errPump, "stderr");
        return process.exitValue();
    }

    private void awaitPumped(Thread pump, String stream) throws InterruptedException {
        pump.join(TimeUnit.SECONDS.toMillis(30));
        if (pump.isAlive()) {
            throw new AssertionError(name + " exited but its " + stream + " stayed open for 30 s\n" + this);
        }
    }

    /** Seconds from start to exit (or to now if it is still running). */
    public double seconds() {
        long end = exitNanos > 0 ? exitNanos : System.nanoTime();
        return (end - startNanos) / 1e9;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String stdout() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    public String stderr() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public String toString() {
        String o = stdout();
        return "--- " + name + " (pid " + process.pid() + ") stdout\n" + (o.length() > 8192 ? o.substring(0, 8192)
                + "..." : o) + "\n--- " + name + " stderr\n" + tail(stderr(), 8192);
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }

    /** Ends the process and its descendants: TERM, up to 5 s grace, then KILL. Safe to call repeatedly. */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            List<ProcessHandle> children = process.descendants().toList();
            if (process.isAlive()) {
                process.destroy();
            }
            children.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((process.isAlive() || children.stream().anyMatch(ProcessHandle::isAlive))
                    && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            children.forEach(ProcessHandle::destroyForcibly);
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
