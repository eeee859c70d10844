package io.inventiv.worker.engine.binding;

import java.io.File;
import java.nio.file.Path;

/**
 * The binding extracts its native library to one fixed file, shared by every process on the
 * machine: a second process re-extracting it while this one has it mapped crashes this one
 * (SIGSEGV). So each process gets its own folder, below the chosen one if any.
 */
public final class NativeLibraryFolder {
    private static final String PREFIX = "worker-llamacpp-";

    private NativeLibraryFolder() {
    }

    /** Points the binding at this process's folder; call before the binding's classes load. */
    public static void usePerProcessFolder() {
        String chosen = System.getProperty("de.kherud.llama.tmpdir");
        Path base = Path.of(chosen != null ? chosen : System.getProperty("java.io.tmpdir"));
        if (base.getFileName() != null && base.getFileName().toString().startsWith(PREFIX)) {
            return; // already ours
        }
        removeFoldersOfDeadProcesses(base);
        Path folder = base.resolve(PREFIX + ProcessHandle.current().pid());
        // The binding reports a missing folder as "no native library found", so create it.
        folder.toFile().mkdirs();
        System.setProperty("de.kherud.llama.tmpdir", folder.toString());
    }

    /** Processes end with a halt, which skips deleteOnExit; their 6 MB libraries are removed here. */
    private static void removeFoldersOfDeadProcesses(Path base) {
        File[] folders = base.toFile().listFiles((dir, name) -> name.matches(PREFIX + "\\d+"));
        for (File folder : folders == null ? new File[0] : folders) {
            long pid = Long.parseLong(folder.getName().substring(PREFIX.length()));
            if (ProcessHandle.of(pid).isEmpty()) {
                File[] files = folder.listFiles();
                for (File file : files == null ? new File[0] : files) {
                    file.delete();
                }
                folder.delete();
            }
        }
    }
}
