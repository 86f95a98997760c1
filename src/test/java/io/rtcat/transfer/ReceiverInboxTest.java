package io.rtcat.transfer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReceiverInboxTest {

    private static final String KIB = "x".repeat(1024);

    /** Before: text was queued without limit, e.g. while the receiver's user looked at the prompt. */
    @Test
    void unreadTextBeyondTheCapIsCutOff() throws Exception {
        ReceiverInbox inbox = new ReceiverInbox(1 << 20, new AtomicLong());
        long n = ReceiverInbox.MAX_QUEUED_TEXT_CHARS / KIB.length() + 1;
        for (long i = 0; i < n; i++) {
            inbox.onText(KIB);
        }
        assertTrue(inbox.overflowed());
        ReceiverInbox.Event last = null;
        for (ReceiverInbox.Event e; (e = inbox.next(0)) != null; ) {
            last = e;
        }
        assertInstanceOf(ReceiverInbox.Overflow.class, last);
    }

    @Test
    void textThatIsReadAsItComesNeverOverflows() throws Exception {
        ReceiverInbox inbox = new ReceiverInbox(1 << 20, new AtomicLong());
        for (long i = 0; i < 3 * ReceiverInbox.MAX_QUEUED_TEXT_CHARS / KIB.length(); i++) {
            inbox.onText(KIB);
            assertInstanceOf(ReceiverInbox.Text.class, inbox.next(0));
        }
        assertFalse(inbox.overflowed());
    }
}
