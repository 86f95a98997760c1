package io.rtcat.cli;

import io.rtcat.errors.RtcatException;
import io.rtcat.peer.ChannelOptions;
import picocli.CommandLine.Option;

/** Data-channel options. */
public final class ChannelFlags {

    @Option(names = "--unordered", description = "Let messages arrive out of order.")
    boolean unordered;

    @Option(names = "--max-retransmits", paramLabel = "N",
            description = "Partially reliable: give up on a message after N retransmissions (0-65535).")
    Integer maxRetransmits;

    @Option(names = "--max-packet-lifetime", paramLabel = "MS",
            description = "Partially reliable: give up on a message after MS milliseconds (0-65535).")
    Integer maxPacketLifetime;

    @Option(names = "--negotiated-id", paramLabel = "ID",
            description = "Open the channel out of band with this stream id (0-" + ChannelOptions.MAX_STREAM_ID
                    + "); both sides must use the same id.")
    Integer negotiatedId;

    ChannelOptions toOptions(String label) throws RtcatException {
        ChannelOptions options = new ChannelOptions(label, !unordered, maxRetransmits, maxPacketLifetime, negotiatedId);
        options.validate();
        return options;
    }
}
