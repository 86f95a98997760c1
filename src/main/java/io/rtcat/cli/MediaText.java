package io.rtcat.cli;

import io.rtcat.diagnostics.MediaLayer;
import io.rtcat.diagnostics.MediaReport;
import io.rtcat.diagnostics.MediaSecond;
import java.io.PrintWriter;
import java.util.Locale;

/** The human-readable lines of a media check: one row per second while it runs, then the summary and verdict. */
final class MediaText {

    static final String HEADER = "   s   BWE kbit/s  sent kbit/s  recv kbit/s  fps out/in  resolution  limit      "
            + "loss %  NACK  PLI  jitter ms  jbuf ms  freezes";

    private MediaText() {
    }

    static String row(MediaSecond r) {
        return String.format(Locale.ROOT, "%4d %12s %12.0f %12.0f %5.0f/%-5.0f %11s  %-9s %7.2f %5d %4d %10.1f %8.1f %8d",
                r.t(), r.estimateKbps() == null ? "-" : String.format(Locale.ROOT, "%.0f", r.estimateKbps()),
                r.sentKbps(), r.receivedVideoKbps() + r.receivedAudioKbps(), r.sentFps(), r.receivedFps(),
                r.width() == 0 ? "-" : r.width() + "x" + r.height(),
                r.qualityLimitation() == null ? "-" : r.qualityLimitation(), r.lossPercent(), r.nacks(), r.plis(),
                r.jitterMillis(), r.jitterBufferMillis(), r.freezes());
    }

    static void print(PrintWriter out, MediaReport m) {
        MediaReport.Estimate e = m.estimate();
        if (e != null) {
            out.printf(Locale.ROOT, "Estimate: plateau %.0f kbit/s (max %.0f), 90%% of it after %s, 1 Mbit/s after %s%n",
                    e.plateauKbps(), e.maxKbps(), seconds(e.rampSeconds()), seconds(e.toOneMbitSeconds()));
        } else {
            out.println("Estimate: not reported by libwebrtc");
        }
        MediaReport.Video v = m.video();
        if (v != null) {
            out.printf(Locale.ROOT, "Video:    %s sent (%s), %s received (%s)%s%n", name(v.codecSent()),
                    name(v.encoder()), name(v.codecReceived()), name(v.decoder()),
                    v.codecAsked() == null ? "" : ", asked for " + v.codecAsked());
            out.printf(Locale.ROOT, "          %.0f kbit/s sent, %.0f received (settled %.0f); %dx%d at %.1f fps "
                            + "(asked %dx%d@%d), %d resolution changes%n", v.sentKbps(), v.receivedKbps(),
                    v.settledKbps(), v.width(), v.height(), v.receivedFps(), v.askedWidth(), v.askedHeight(),
                    v.askedFps(), v.resolutionChanges());
            out.printf(Locale.ROOT, "          frames: %d encoded, %d received, %d decoded, %d dropped, %d shown%n",
                    v.framesEncoded(), v.framesReceived(), v.framesDecoded(), v.framesDropped(), v.framesDelivered());
            out.printf(Locale.ROOT, "          loss %.2f%% (%d packets), NACK %d, PLI %d, FIR %d, jitter %.1f ms, "
                            + "jitter buffer %.1f ms, %d freezes (%.1f s), limited by %s%n", v.lossPercent(),
                    v.packetsLost(), v.nacks(), v.plis(), v.firs(), v.jitterMillis(), v.jitterBufferMillis(),
                    v.freezes(), v.freezeSeconds(), v.qualityLimitation());
        }
        if (m.layers().size() > 1) {
            for (MediaLayer l : m.layers()) {
                out.printf(Locale.ROOT, "  layer %-4s %dx%d at %.1f fps, %.0f kbit/s%s%n",
                        l.rid() == null ? "-" : l.rid(), l.width(), l.height(), l.fps(), l.kbps(),
                        l.active() ? "" : " (not sent)");
            }
        }
        if (m.simulcastNote() != null) {
            out.println("Simulcast: " + m.simulcastNote());
        }
        MediaReport.Audio a = m.audio();
        if (a != null) {
            out.printf(Locale.ROOT, "Audio:    %s, %.0f kbit/s sent, %.0f received; %d packets, %d lost (%.2f%%), "
                            + "jitter %.1f ms, %.1f%% concealed%n", name(a.codecReceived() != null ? a.codecReceived()
                            : a.codecSent()), a.sentKbps(), a.receivedKbps(), a.packetsReceived(), a.packetsLost(),
                    a.lossPercent(), a.jitterMillis(), a.concealmentPercent());
        }
        out.println("Verdict:  " + m.verdict().text());
    }

    private static String name(String s) {
        return s == null ? "unknown" : s;
    }

    private static String seconds(Double s) {
        return s == null ? "never" : String.format(Locale.ROOT, "%.0f s", s);
    }
}
