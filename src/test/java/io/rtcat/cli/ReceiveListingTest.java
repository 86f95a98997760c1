package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtcat.transfer.Manifest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiveListingTest {

    /** Before: only the first 10 entries were shown, so a dotfile at position 11 went unseen. */
    @Test
    void hiddenAndUnknownSizeEntriesAreListedEvenPastTheFirstTen() {
        List<Manifest.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            entries.add(new Manifest.Entry("photo" + i + ".jpg", 1000, null, null));
        }
        entries.add(new Manifest.Entry(".bashrc", 40L << 20, null, null));
        entries.add(new Manifest.Entry("dir/.ssh/authorized_keys", 100, null, null));
        entries.add(new Manifest.Entry("stream", -1, null, null));
        String text = ReceiveJob.listing(Manifest.of(entries));
        assertTrue(text.startsWith("33 files offered:\n"), text);
        assertTrue(text.contains("photo9.jpg"), text);
        assertFalse(text.contains("photo10.jpg"), text);
        assertTrue(text.contains(".bashrc") && text.contains("(hidden)"), text);
        assertTrue(text.contains("dir/.ssh/authorized_keys"), text);
        assertTrue(text.contains("stream"), text);
        assertTrue(text.contains("... and 20 more (none hidden, all of known size)"), text);
    }

    @Test
    void namesAreEscapedInTheListing() {
        String text = ReceiveJob.listing(Manifest.of(List.of(new Manifest.Entry("evil\u202Efdp.exe", 3, null, null))));
        assertTrue(text.contains("evil\\u202efdp.exe"), text);
        assertFalse(text.contains("\u202E"), text);
    }
}
