package io.rtcat.peer;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.logging.Logging;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.rtcat.errors.RtcatException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process's one {@link PeerConnectionFactory}, created with a headless audio module (the default
 * constructor aborts the JVM when no sound server runs).
 *
 * <p>libwebrtc attaches its callback threads to the JVM as non-daemon threads, so the JVM never exits
 * until the factory is disposed: {@link #close()} must run on every path. A shutdown hook covers
 * {@code System.exit}; the CLI also closes it explicitly.
 */
public final class PeerEngine implements AutoCloseable {

    private static PeerEngine shared;
    private static boolean hookInstalled;

    private final HeadlessAudioDeviceModule audio;
    private final PeerConnectionFactory factory;
    private final Set<Peer> peers = ConcurrentHashMap.newKeySet();
    private boolean closed;

    private PeerEngine() {
        this.audio = new HeadlessAudioDeviceModule();
        this.factory = new PeerConnectionFactory(audio);
    }

    /** Returns the process-wide engine, loading the native library on first use. */
    public static synchronized PeerEngine shared() throws RtcatException {
        if (shared == null || shared.closed) {
            NativeLibrary.ensureLoaded();
            shared = new PeerEngine();
            if (!hookInstalled) {
                hookInstalled = true;
                Runtime.getRuntime().addShutdownHook(new Thread(PeerEngine::closeShared, "rtcat-peer-shutdown"));
            }
        }
        return shared;
    }

    /**
     * Loads the native library and creates the shared engine on a thread of its own, for commands that need it at
     * once: both overlap picocli's start-up instead of following it (README, "Start-up"). The command's own
     * {@link #shared()} then waits for it, or reports the failure. The caller must close the engine at exit
     * ({@link #closeShared()} after {@link NativeLibrary#awaitPreload()}), as for any engine.
     */
    public static void preload() {
        NativeLibrary.preload(() -> {
            try {
                shared();
            } catch (RtcatException | RuntimeException ignored) {
                // the command's own shared() meets the same failure and reports it
            }
        });
    }

    /** Closes the shared engine if one was started; safe to call many times. */
    public static synchronized void closeShared() {
        if (shared != null) {
            shared.close();
        }
    }

    /** Sends libwebrtc's own log (hundreds of lines per connection) to stderr. */
    public static void enableNativeLogging() throws RtcatException {
        NativeLibrary.ensureLoaded();
        Logging.logToDebug(Logging.Severity.INFO);
    }

    /** The factory, for {@link CandidateGatherer}'s observer-only connections; null once closed. */
    synchronized PeerConnectionFactory factory() {
        return closed ? null : factory;
    }

    /** Codec names this build can send, for "video" or "audio" (e.g. VP8, VP9, H264, AV1; opus, G722). */
    public synchronized java.util.List<String> sendCodecs(String kind) throws RtcatException {
        if (closed) {
            throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "the WebRTC engine is shut down");
        }
        return MediaSender.available(factory, "audio".equals(kind)
                ? dev.onvoid.webrtc.media.MediaType.AUDIO : dev.onvoid.webrtc.media.MediaType.VIDEO);
    }

    public Peer newPeer(PeerConfig config, PeerEvents events) throws RtcatException {
        config.validate();
        synchronized (this) {
            if (closed) {
                throw new RtcatException(RtcatException.Kind.UNAVAILABLE, "the WebRTC engine is shut down");
            }
            Peer peer = new Peer(factory, audio, config, events, peers::remove);
            peers.add(peer);
            return peer;
        }
    }

    /** Closes every open peer, then the factory and the audio module, in that order. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Peer peer : peers.toArray(new Peer[0])) {
            peer.close();
        }
        factory.dispose();
        audio.dispose();
    }
}
