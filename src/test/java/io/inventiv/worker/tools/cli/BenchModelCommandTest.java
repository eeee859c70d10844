package io.inventiv.worker.tools.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing the 0.5B model takes seconds and 400 MB, so only the refusals are tested here. */
class BenchModelCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"F32", "F16", "Q5_K", "q4_k_m"})
    void typesOtherThanTheBenchmarkOnesExitTwoAndWriteNothing(String type) {
        StringWriter err = new StringWriter();
        Path output = dir.resolve("m.gguf");
        CommandLine cli = new CommandLine(new BenchModelCommand()).setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("--type", type, "--output", output.toString()));
        assertTrue(err.toString().contains("--type"), err.toString());
        assertFalse(Files.exists(output));
    }

    @Test
    void helpNamesTheDefaults() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new BenchModelCommand()).setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--help"));
        String help = out.toString().replaceAll("\\s+", ""); // picocli wraps long lines
        assertTrue(help.contains("(defaultQ4_K_M)"), out.toString());
        assertTrue(help.contains("(defaultmodels/bench-qwen2.5-0.5b-q4_k_m.gguf)"), out.toString());
    }
}
