package io.rtcat.stdio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeferredStreamTest {

    @Test
    void theTargetIsAskedForAtTheFirstUseAndOnlyOnce() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        DeferredStream out = new DeferredStream(() -> {
            asked.incrementAndGet();
            return target;
        });
        assertEquals(0, asked.get(), "nothing is decided before the first write");
        out.write('a');
        out.write(new byte[] {'x', 'b', 'c', 'y'}, 1, 2);
        out.flush();
        out.close();
        assertEquals(1, asked.get());
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, target.toByteArray());
    }
}
