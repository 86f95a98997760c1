package io.rtcat.transfer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Outcome of one successful receive.
 *
 * @param path where the file was saved (may differ from the offered name with {@link OnExisting#RENAME})
 * @param sha256 lowercase hex of the saved content
 * @param duration from listening to the file being in place
 * @param verified the sender supplied a sha256 and it matched; false means only the size was checked
 */
public record ReceiveResult(Path path, long bytes, String sha256, Duration duration, boolean verified) {}
