package io.inventiv.worker.bench;

import java.nio.file.Path;

/**
 * The binding extracts libjllama.so to one fixed file shared by every process; a second
 * process re-extracting it while another has it mapped crashes that one. The server gives each
 * process its own folder (see Main); the raw baseline, which loads the binding without Main,
 * does the same, with the same folder name so the server's clean-up also removes it.
 */
public final class NativeFolder {
    private NativeFolder() {
    }

    public static void usePerProcessFolder() {
        String chosen = System.getProperty("de.kherud.llama.tmpdir");
        Path base = Path.of(chosen != null ? chosen : System.getProperty("java.io.tmpdir"));
        if (base.getFileName() != null && base.getFileName().toString().startsWith("worker-llamacpp-")) {
            return;
        }
        Path folder = base.resolve("worker-llamacpp-" + ProcessHandle.current().pid());
        folder.toFile().mkdirs(); // the binding reports a missing folder as "no native library found"
        System.setProperty("de.kherud.llama.tmpdir", folder.toString());
    }
}
