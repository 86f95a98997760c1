package io.rtcat.cli;

import io.rtcat.errors.Futures;
import io.rtcat.errors.RtcatException;
import io.rtcat.peer.Peer;
import io.rtcat.stats.ConnectionStats;
import io.rtcat.stripe.LossProbe;
import io.rtcat.stripe.StreamChoice;
import io.rtcat.stripe.Stripes;
import java.util.concurrent.TimeUnit;

/** --streams N|auto: how many peer connections one transfer is striped over. */
final class StreamsOption {

    private final Integer fixed;

    private StreamsOption(Integer fixed) {
        this.fixed = fixed;
    }

    static StreamsOption parse(String text) throws RtcatException {
        if (text == null || text.equalsIgnoreCase("auto")) {
            return new StreamsOption(null);
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= Stripes.MAX_WIDTH) {
                return new StreamsOption(n);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new RtcatException(RtcatException.Kind.USAGE, "invalid --streams " + text + ": must be auto or 1-"
                + Stripes.MAX_WIDTH);
    }

    /** An explicit --streams above 1 (auto may well choose 1). */
    boolean asksForStripes() {
        return fixed != null && fixed > 1;
    }

    /**
     * Whether auto measures the path's loss before it chooses ({@link LossProbe}): on a path long enough to stripe,
     * for a transfer big enough to be worth the probe's second or two.
     *
     * @param totalBytes what the transfer sends, -1 if unknown (standard input: no probe); RTCAT_LOSS_PROBE=1 probes
     *                   whatever the size, =0 never
     */
    boolean probesLoss(Double rttMillis, long totalBytes) {
        Boolean forced = LossProbe.forced();
        return fixed == null && StreamChoice.worthProbing(rttMillis)
                && (forced != null ? forced : totalBytes >= LossProbe.MIN_TRANSFER_BYTES);
    }

    /**
     * Decides the width: fixed, or from the RTT the main connection measured during ICE ({@code atConnect},
     * null if unavailable; the end report shows the same figure).
     */
    StreamChoice choose(ConnectionStats atConnect) {
        if (fixed != null) {
            return StreamChoice.fixed(fixed);
        }
        return StreamChoice.auto(atConnect == null ? null : atConnect.rttMillis());
    }
}
