package io.inventiv.worker;

import io.inventiv.worker.cli.WorkerCommand;
import io.inventiv.worker.logging.Logging;

/** The jar's entry point: {@code serve} (the default) and {@code download}. The tools have their own. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Logging.installLogManager();
        int exitCode = WorkerCommand.execute(args);
        System.out.flush();
        // The binding leaves a native thread attached, so the JVM would never exit by itself.
        Runtime.getRuntime().halt(exitCode);
    }
}
