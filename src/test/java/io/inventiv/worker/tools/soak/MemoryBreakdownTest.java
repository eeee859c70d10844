package io.inventiv.worker.tools.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The breakdown of a real process: this test's own JVM, read from outside as the soak reads its server. */
class MemoryBreakdownTest {
    private static final long PID = ProcessHandle.current().pid();

    @Test
    void theKindsOfResidentMemoryAddUpToTheKernelsRss() throws Exception {
        Map<String, Long> rss = MemoryBreakdown.smaps(Files.readString(Path.of("/proc", Long.toString(PID), "smaps")));
        long sum = rss.entrySet().stream().filter(e -> e.getKey().startsWith("rss."))
                .mapToLong(Map.Entry::getValue).sum();
        assertEquals(rss.get("rss"), sum);
        long kernel = Files.readAllLines(Path.of("/proc", Long.toString(PID), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:")).mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst().orElseThrow();
        assertTrue(Math.abs(kernel - sum) < kernel / 10, "smaps " + sum + " kB, status " + kernel + " kB");
        assertTrue(rss.get("rss.libraries") > 0 && rss.get("rss.jvm-files") > 0 && rss.get("rss.anonymous") > 0, rss.toString());
        assertTrue(rss.get("rss.anonymous-large") > 0, "the Java heap is one large mapping: " + rss);
    }

    @Test
    void glibcsHeapsAreReadThroughJcmd() throws Exception {
        MemoryBreakdown breakdown = MemoryBreakdown.read(PID, MemoryTrace.jcmdBesideThisJava());
        Map<String, Long> kb = breakdown.kilobytes();
        assertTrue(kb.get(MemoryBreakdown.ARENAS) >= 1, kb.toString());
        assertTrue(kb.get("malloc.system") > 0, kb.toString());
        assertEquals(kb.get("malloc.system") - kb.get("malloc.free"), kb.get("malloc.in-use"), 1, kb.toString());
    }

    @Test
    void nativeMemoryTrackingIsReadByCategoryFromItsSummary() {
        String summary = """
                Native Memory Tracking:

                Total: reserved=7752892KB, committed=486984KB
                       malloc: 13504KB #65519, peak=50415KB #65964
                       mmap:   reserved=7739388KB, committed=473480KB

                -                 Java Heap (reserved=6172672KB, committed=393216KB)
                                            (mmap: reserved=6172672KB, committed=393216KB, at peak)

                -                    Thread (reserved=35048KB, committed=2008KB)
                                            (threads #28)
                                            (malloc=65KB tag=Thread #170) (peak=74KB #174)

                -                     Arena Chunk (reserved=190KB, committed=190KB)
                """;
        assertEquals(Map.of("jvm.committed", 486_984L, "jvm.malloc", 13_504L, "jvm.java-heap", 393_216L,
                "jvm.thread", 2_008L, "jvm.arena-chunk", 190L), MemoryBreakdown.nativeMemoryTracking(summary));
    }

    @Test
    void withoutJcmdTheResidentBreakdownStillComes() throws Exception {
        Map<String, Long> kb = MemoryBreakdown.read(PID, Path.of("/nonexistent/jcmd")).kilobytes();
        assertTrue(kb.get("rss") > 0, kb.toString());
        assertTrue(kb.keySet().stream().noneMatch(key -> key.startsWith("malloc.") || key.startsWith("jvm.")),
                kb.toString());
    }

    @Test
    void withoutTrackingThereIsNoJvmBreakdown() {
        assertEquals(Map.of(), MemoryBreakdown.nativeMemoryTracking("12345:\nNative memory tracking is not enabled\n"));
    }
}
