package io.inventiv.worker.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory figures of a Linux process from {@code /proc/<pid>/status}, in bytes; -1 when unknown. */
public final class ProcStatus {
    private ProcStatus() {
    }

    /** Peak resident set size (VmHWM) of this process. */
    public static long peakRssBytes() {
        return read("self", "VmHWM:");
    }

    static long read(String pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith(field)) {
                    // "VmHWM:	  546000 kB"
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
