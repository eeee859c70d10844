package io.inventiv.worker.engine.binding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Lowers the scheduling priority of llama.cpp's OS threads (raises their nice value), which
 * bear the name of the Java thread that loaded the model: Linux gives a new thread its creator's
 * name, and its nice value too, so the threads they start later inherit it.
 *
 * <p>Why: llama.cpp's threads keep every core busy while they generate, and at a higher nice
 * value than ours the kernel lets our slot, HTTP and /metrics threads run as soon as they wake
 * (docs/DECISIONS.md, "Nice value of llama.cpp threads"). Any user may lower a thread's
 * priority; Java has no call for it, so this runs {@code renice} on the thread's id.
 */
final class ThreadNice {
    private ThreadNice() {
    }

    /**
     * Sets the nice value of every other thread of this process that bears the calling thread's
     * name (as the kernel keeps it: 15 bytes at most); null when done, else why not. With
     * {@code nice} 0, and not on Linux (no {@code /proc/self/task}), nothing is done.
     */
    static String applyToThreadsNamedLikeCurrent(int nice) {
        if (nice == 0) {
            return null;
        }
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return null; // not Linux: there is no per-thread nice value to set this way
        }
        try {
            String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            String name = Files.readString(tasks.resolve(self).resolve("comm")).strip();
            List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
            List<String> tids = new ArrayList<>();
            try (Stream<Path> all = Files.list(tasks)) {
                for (Path task : all.toList()) {
                    String tid = task.getFileName().toString();
                    if (!tid.equals(self) && name.equals(commOf(task))) {
                        tids.add(tid);
                    }
                }
            }
            if (tids.isEmpty()) {
                return null;
            }
            command.addAll(tids);
            Process renice = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                renice.destroyForcibly();
                return "renice failed: " + output;
            }
            return null;
        } catch (IOException e) {
            return "renice could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** A thread's name as the kernel keeps it, or null when the thread has ended meanwhile. */
    private static String commOf(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException gone) {
            return null;
        }
    }

    /** The calling thread's nice value. */
    static int currentThreadNice() throws IOException {
        return niceOf(Path.of("/proc/thread-self"));
    }

    /** A thread's nice value, field 19 of its {@code stat} under {@code /proc}. */
    static int niceOf(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"));
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
