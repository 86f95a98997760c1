package io.rtcat.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bar speaks the report's unit (MB/s, base 1000) with a leading zero. */
class ProgressDisplayTest {

    @Test
    void barRateUsesTheReportsUnitWithALeadingZero() throws InterruptedException {
        StringWriter err = new StringWriter();
        Console console = new Console(new PrintWriter(new StringWriter()), new PrintWriter(err), true);
        try (ProgressDisplay bar = ProgressDisplay.start(console, true, "send", 2_000_000)) {
            // the library shows a rate only once a whole second has passed; 0.5 MB in over a second is < 0.5 MB/s
            Thread.sleep(1100);
            bar.updater().accept(500_000);
        }
        String shown = err.toString();
        assertTrue(Pattern.compile("\\b0\\.\\d MB/s").matcher(shown).find(), shown);
        assertFalse(shown.contains("MiB"), shown);
    }
}
