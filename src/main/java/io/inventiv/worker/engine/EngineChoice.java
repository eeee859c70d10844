package io.inventiv.worker.engine;

import io.inventiv.worker.engine.jni.NativeLibrary;
import java.nio.file.Path;

/**
 * Which engine serves, decided before the model loads. ENGINE=binding never loads our library.
 * ENGINE=native and ENGINE=auto take it when it is present and loads here; otherwise they serve
 * with the binding, which needs no build, and say why (native as a warning: it was asked for).
 *
 * @param library the loaded native library, or null for the binding
 * @param note    why auto fell back to the binding, or null
 */
public record EngineChoice(NativeLibrary library, String note) {

    /** The binding, chosen without looking for the native library. */
    public static EngineChoice binding() {
        return new EngineChoice(null, null);
    }

    public boolean isNative() {
        return library != null;
    }

    public String name() {
        return isNative() ? "native" : "binding";
    }

    /** Resolves {@code engine} (auto, native or binding) with the library in {@code folder} (null: the default). */
    public static EngineChoice resolve(String engine, Path folder) {
        Path libraries = folder != null ? folder : NativeLibrary.defaultFolder();
        if (engine.equals("binding")) {
            return binding();
        }
        String asked = engine.equals("native") ? "ENGINE=native, but " : "";
        if (!NativeLibrary.present(libraries)) {
            return new EngineChoice(null, asked + "there is no native engine library in " + libraries
                    + " (`make native` builds it)");
        }
        try {
            return new EngineChoice(NativeLibrary.load(libraries), null);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return new EngineChoice(null, asked + "the native engine library in " + libraries
                    + " does not load here: " + e.getMessage());
        }
    }
}
