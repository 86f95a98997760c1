package io.rtcat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtcat.diagnostics.MediaLayer;
import io.rtcat.diagnostics.MediaReport;
import io.rtcat.diagnostics.MediaSecond;
import io.rtcat.json.Mappers;

/** The "media" object of `rtcat check --json` (described in schemas/check.schema.json). */
final class MediaJson {

    private MediaJson() {
    }

    static ObjectNode of(MediaReport m) {
        ObjectNode o = Mappers.JSON.createObjectNode();
        o.put("duration_s", round(m.durationSeconds(), 3));
        o.putObject("verdict").put("grade", m.verdict().grade()).put("text", m.verdict().text());
        MediaReport.Estimate e = m.estimate();
        if (e == null) {
            o.putNull("estimate");
        } else {
            ObjectNode est = o.putObject("estimate").put("plateau_kbps", round(e.plateauKbps(), 1))
                    .put("max_kbps", round(e.maxKbps(), 1));
            putNullable(est, "ramp_s", e.rampSeconds());
            putNullable(est, "to_1mbit_s", e.toOneMbitSeconds());
        }
        MediaReport.Video v = m.video();
        if (v == null) {
            o.putNull("video");
        } else {
            ObjectNode video = o.putObject("video");
            video.put("codec_asked", v.codecAsked()).put("codec_sent", v.codecSent())
                    .put("codec_received", v.codecReceived()).put("encoder", v.encoder()).put("decoder", v.decoder());
            video.putObject("asked").put("width", v.askedWidth()).put("height", v.askedHeight())
                    .put("fps", v.askedFps());
            video.put("width", v.width()).put("height", v.height()).put("fps", round(v.receivedFps(), 2))
                    .put("resolution_changes", v.resolutionChanges())
                    .put("sent_kbps", round(v.sentKbps(), 1)).put("received_kbps", round(v.receivedKbps(), 1))
                    .put("settled_kbps", round(v.settledKbps(), 1));
            video.putObject("frames").put("encoded", v.framesEncoded()).put("received", v.framesReceived())
                    .put("decoded", v.framesDecoded()).put("dropped", v.framesDropped())
                    .put("shown", v.framesDelivered());
            video.put("packets_lost", v.packetsLost()).put("loss_percent", round(v.lossPercent(), 3))
                    .put("nack", v.nacks()).put("pli", v.plis()).put("fir", v.firs())
                    .put("jitter_ms", round(v.jitterMillis(), 2)).put("jitter_buffer_ms", round(v.jitterBufferMillis(), 2))
                    .put("freezes", v.freezes()).put("freeze_s", round(v.freezeSeconds(), 3))
                    .put("quality_limitation", v.qualityLimitation());
            ObjectNode durations = video.putObject("quality_limitation_s");
            v.qualityLimitationSeconds().forEach((k, s) -> durations.put(k, round(s, 3)));
        }
        MediaReport.Audio a = m.audio();
        if (a == null) {
            o.putNull("audio");
        } else {
            o.putObject("audio").put("codec_asked", a.codecAsked()).put("codec_sent", a.codecSent())
                    .put("codec_received", a.codecReceived()).put("sent_kbps", round(a.sentKbps(), 1))
                    .put("received_kbps", round(a.receivedKbps(), 1)).put("packets_received", a.packetsReceived())
                    .put("packets_lost", a.packetsLost()).put("loss_percent", round(a.lossPercent(), 3))
                    .put("jitter_ms", round(a.jitterMillis(), 2))
                    .put("concealment_percent", round(a.concealmentPercent(), 3))
                    .put("samples_played", a.samplesDelivered());
        }
        var layers = o.putArray("layers");
        for (MediaLayer l : m.layers()) {
            layers.addObject().put("rid", l.rid()).put("width", l.width()).put("height", l.height())
                    .put("fps", round(l.fps(), 2)).put("kbps", round(l.kbps(), 1)).put("active", l.active());
        }
        o.put("simulcast_note", m.simulcastNote());
        var seconds = o.putArray("seconds");
        for (MediaSecond r : m.seconds()) {
            ObjectNode row = seconds.addObject().put("t", r.t());
            putNullable(row, "estimate_kbps", r.estimateKbps() == null ? null : round(r.estimateKbps(), 1));
            row.put("sent_kbps", round(r.sentKbps(), 1)).put("target_kbps", round(r.targetKbps(), 1))
                    .put("received_video_kbps", round(r.receivedVideoKbps(), 1))
                    .put("received_audio_kbps", round(r.receivedAudioKbps(), 1))
                    .put("sent_fps", round(r.sentFps(), 2)).put("received_fps", round(r.receivedFps(), 2))
                    .put("width", r.width()).put("height", r.height())
                    .put("quality_limitation", r.qualityLimitation())
                    .put("loss_percent", round(r.lossPercent(), 3)).put("nack", r.nacks()).put("pli", r.plis())
                    .put("jitter_ms", round(r.jitterMillis(), 2))
                    .put("jitter_buffer_ms", round(r.jitterBufferMillis(), 2)).put("freezes", r.freezes());
        }
        return o;
    }

    private static void putNullable(ObjectNode o, String name, Double value) {
        if (value == null) {
            o.putNull(name);
        } else {
            o.put(name, value);
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
