package io.inventiv.worker.engine.binding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the scheduling priority of the calling OS thread (raises its nice value), so that the
 * threads it creates afterwards start with it: Linux gives a new thread its creator's nice value.
 *
 * <p>Why: llama.cpp's threads spin through OpenMP barriers and keep every core busy while they
 * generate. Our own threads (the slot threads that receive tokens, the HTTP threads that write
 * them, /metrics) then wait for the kernel to preempt a spinning thread. At nice 5 for
 * llama.cpp's threads, the kernel lets ours run at once: on 2 cores with 4 streams, /metrics p99
 * fell from 8.5–10.3 to 6.7–9.2 ms, with throughput unchanged or higher; 1 stream and TTFT were
 * unchanged (docs/BENCHMARKS.md). Our threads use a few percent of the CPU, so llama.cpp loses
 * nothing to them that it did not lose before; it only yields sooner. Any user may lower a
 * thread's priority; Java has no call for it, so this runs {@code renice} on the thread's id.
 */
final class ThreadNice {
    private ThreadNice() {
    }

    /**
     * Sets the calling thread's nice value; null when done, else why not. With {@code nice} 0, and
     * not on Linux (no {@code /proc/thread-self}), nothing is done.
     */
    static String applyToCurrentThread(int nice) {
        if (nice == 0) {
            return null;
        }
        Path self = Path.of("/proc/thread-self");
        try {
            if (!Files.exists(self)) {
                return null; // not Linux: there is no per-thread nice value to set this way
            }
            String tid = Files.readSymbolicLink(self).getFileName().toString(); // "<pid>/task/<tid>"
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true).start();
            String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                renice.destroyForcibly();
                return "renice failed: " + output;
            }
            int now = currentThreadNice();
            return now == nice ? null : "renice left the thread at nice " + now;
        } catch (IOException e) {
            return "renice could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The calling thread's nice value, field 19 of {@code /proc/thread-self/stat}. */
    static int currentThreadNice() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
