package io.rtcat.errors;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * rtcat's threads: all daemons, so that a stuck library call can never keep the JVM alive after the command
 * has decided its exit code, and all named "rtcat-...", so that a thread dump says whose they are.
 */
public final class Threads {

    private Threads() {
    }

    /** An unstarted daemon thread named {@code name}. */
    public static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /** A factory of daemon threads that all carry {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> daemon(name, r);
    }

    /** One daemon thread that runs tasks in order: the confinement executor for state owned by one actor. */
    public static ExecutorService serial(String name) {
        return Executors.newSingleThreadExecutor(named(name));
    }

    /** One daemon thread for delayed and periodic tasks. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }
}
