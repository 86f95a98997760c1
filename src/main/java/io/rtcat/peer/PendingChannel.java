package io.rtcat.peer;

import java.util.concurrent.CompletableFuture;

/**
 * A data channel just created by {@link Peer#openChannel}: usable for setting a listener at once, open for
 * sending once {@code opened} completes (with the same channel), which happens after the connection is up.
 */
public record PendingChannel(MessageChannel channel, CompletableFuture<MessageChannel> opened) {
}
