package io.inventiv.worker.tools.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a process's memory is made of, read from outside it, in kB:
 * <ul>
 *   <li>{@code rss.*}: resident memory by kind of mapping, from /proc/PID/smaps (they add up to
 *       the RSS). Anonymous mappings of {@value #LARGE_MAPPING_KB} kB or more are counted apart:
 *       the Java heap, and the buffers llama.cpp allocates whole (KV cache, compute and output
 *       buffers), whose pages become resident as they are first used;</li>
 *   <li>{@code malloc.*}: glibc's heaps, from its malloc_info (through {@code jcmd
 *       System.native_heap_info}): what the arenas hold from the system, what of it is free, what
 *       large blocks are mapped on their own, and how many arenas there are (a count, not kB);</li>
 *   <li>{@code jvm.*}: the JVM's own memory by Native Memory Tracking category (committed), when
 *       the process runs with {@code -XX:NativeMemoryTracking}.</li>
 * </ul>
 * llama.cpp allocates with glibc's malloc too, so {@code malloc.in-use} minus {@code jvm.malloc}
 * is what native code outside the JVM holds.
 */
record MemoryBreakdown(Map<String, Long> kilobytes) {
    static final String ARENAS = "malloc.arenas";
    static final long LARGE_MAPPING_KB = 32 * 1024;

    private static final Pattern SMAPS_HEADER = Pattern.compile("^[0-9a-f]+-[0-9a-f]+ \\S+ \\S+ \\S+ \\S+\\s*(.*)$");
    private static final Pattern MALLOC_TOTAL = Pattern.compile(
            "^<total type=\"(fast|rest|mmap)\" count=\"\\d+\" size=\"(\\d+)\"/>$");
    private static final Pattern MALLOC_SYSTEM = Pattern.compile("^<system type=\"current\" size=\"(\\d+)\"/>$");
    private static final Pattern NMT_TOTAL_MALLOC = Pattern.compile("^\\s*malloc: (\\d+)KB");
    private static final Pattern NMT_CATEGORY = Pattern.compile(
            "^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern NMT_TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    /** Reads all three sources; a source that cannot be read is left out. */
    static MemoryBreakdown read(long pid, Path jcmd) throws IOException, InterruptedException {
        Map<String, Long> values = new LinkedHashMap<>();
        values.putAll(smaps(Files.readString(Path.of("/proc", Long.toString(pid), "smaps"))));
        values.putAll(mallocInfo(jcmd(jcmd, pid, "System.native_heap_info")));
        values.putAll(nativeMemoryTracking(jcmd(jcmd, pid, "VM.native_memory", "summary")));
        return new MemoryBreakdown(values);
    }

    /** Resident kB by kind of mapping. */
    static Map<String, Long> smaps(String smaps) {
        Map<String, Long> rss = new LinkedHashMap<>();
        for (String kind : List.of("model", "libraries", "jvm-files", "other-files", "brk-heap", "stacks",
                "anonymous-large", "anonymous")) {
            rss.put("rss." + kind, 0L);
        }
        String kind = "anonymous";
        for (String line : smaps.split("\n")) {
            Matcher header = SMAPS_HEADER.matcher(line);
            if (header.matches()) {
                kind = kindOf(header.group(1).trim());
            } else if (line.startsWith("Size:") && kind.equals("anonymous")
                    && Long.parseLong(line.replaceAll("[^0-9]", "")) >= LARGE_MAPPING_KB) {
                kind = "anonymous-large";
            } else if (line.startsWith("Rss:")) {
                rss.merge("rss." + kind, Long.parseLong(line.replaceAll("[^0-9]", "")), Long::sum);
            }
        }
        rss.put("rss", rss.values().stream().mapToLong(Long::longValue).sum());
        return rss;
    }

    private static String kindOf(String path) {
        if (path.isEmpty() || path.startsWith("[anon")) {
            return "anonymous";
        }
        if (path.equals("[heap]")) {
            return "brk-heap";
        }
        if (path.startsWith("[stack")) {
            return "stacks";
        }
        if (path.startsWith("[")) {
            return "anonymous"; // [vdso], [vvar] and the like: a few pages
        }
        String name = path.endsWith(" (deleted)") ? path.substring(0, path.length() - 10) : path;
        if (name.endsWith(".gguf")) {
            return "model";
        }
        if (name.endsWith(".so") || name.contains(".so.")) {
            return "libraries";
        }
        if (name.endsWith(".jar") || name.endsWith(".jsa") || name.endsWith("/modules")) {
            return "jvm-files";
        }
        return "other-files";
    }

    /** glibc's totals over all arenas, from the last (process-wide) lines of malloc_info. */
    static Map<String, Long> mallocInfo(String xml) {
        Map<String, Long> malloc = new LinkedHashMap<>();
        if (!xml.contains("<malloc")) {
            return malloc;
        }
        long arenas = 0;
        long free = 0;
        long mapped = 0;
        long system = 0;
        int depth = 0; // inside a <heap>: its own totals, not the process's
        for (String raw : xml.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("<heap ")) {
                depth++;
                arenas++;
            } else if (line.equals("</heap>")) {
                depth--;
            } else if (depth == 0) {
                Matcher total = MALLOC_TOTAL.matcher(line);
                Matcher current = MALLOC_SYSTEM.matcher(line);
                if (total.matches()) {
                    long bytes = Long.parseLong(total.group(2));
                    if (total.group(1).equals("mmap")) {
                        mapped = bytes;
                    } else {
                        free += bytes;
                    }
                } else if (current.matches()) {
                    system = Long.parseLong(current.group(1));
                }
            }
        }
        malloc.put("malloc.system", system / 1024);
        malloc.put("malloc.free", free / 1024);
        malloc.put("malloc.in-use", (system - free) / 1024);
        malloc.put("malloc.mmapped", mapped / 1024);
        malloc.put(ARENAS, arenas);
        return malloc;
    }

    /** Committed kB by Native Memory Tracking category; empty when tracking is off. */
    static Map<String, Long> nativeMemoryTracking(String summary) {
        Map<String, Long> jvm = new LinkedHashMap<>();
        for (String line : summary.split("\n")) {
            Matcher total = NMT_TOTAL.matcher(line);
            Matcher malloc = NMT_TOTAL_MALLOC.matcher(line);
            Matcher category = NMT_CATEGORY.matcher(line);
            if (total.find()) {
                jvm.put("jvm.committed", Long.parseLong(total.group(2)));
            } else if (malloc.find() && !jvm.containsKey("jvm.malloc")) {
                jvm.put("jvm.malloc", Long.parseLong(malloc.group(1)));
            } else if (category.find()) {
                jvm.put("jvm." + category.group(1).trim().toLowerCase(Locale.ROOT).replace(' ', '-'),
                        Long.parseLong(category.group(3)));
            }
        }
        return jvm;
    }

    /**
     * What {@code jcmd PID command...} prints, or nothing when jcmd cannot run or does not answer
     * within 30 s: the breakdown then lacks those kinds, and the soak goes on.
     */
    static String jcmd(Path jcmd, long pid, String... command) throws InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        try {
            Path output = Files.createTempFile("jcmd-", ".txt");
            try {
                Process process = new ProcessBuilder(args).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return "";
                }
                return Files.readString(output, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return "";
        }
    }
}
