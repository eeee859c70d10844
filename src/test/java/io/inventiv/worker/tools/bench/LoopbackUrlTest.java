package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inventiv.worker.tools.cli.BenchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoopbackUrlTest {
    @Test
    void loopbackAddressesAreAcceptedAndTrailingSlashDropped() {
        assertEquals("http://127.0.0.1:8000", LoopbackUrl.require("http://127.0.0.1:8000/").toString());
        assertEquals("http://localhost:8000", LoopbackUrl.require("http://localhost:8000").toString());
        assertEquals("http://[::1]:8000", LoopbackUrl.require("http://[::1]:8000").toString());
        assertEquals("http://127.0.0.2:9", LoopbackUrl.require("http://127.0.0.2:9").toString());
    }

    @Test
    void otherAddressesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopbackUrl.require("http://10.1.2.3:8000"));
        assertTrue(e.getMessage().contains("not a loopback address"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoopbackUrl.require("http://8.8.8.8"));
        assertThrows(IllegalArgumentException.class, () -> LoopbackUrl.require("http://0.0.0.0:8000"));
        assertThrows(IllegalArgumentException.class, () -> LoopbackUrl.require("http://[2001:db8::1]:8000"));
    }

    @Test
    void nonHttpOrHostlessUrlsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LoopbackUrl.require("ftp://127.0.0.1/"));
        assertThrows(IllegalArgumentException.class, () -> LoopbackUrl.require("127.0.0.1:8000"));
        assertThrows(IllegalArgumentException.class, () -> LoopbackUrl.require("http:///v1"));
        assertThrows(IllegalArgumentException.class, () -> LoopbackUrl.require("http://a b"));
    }

    @Test
    void benchCommandRefusesARemoteUrlAsAUsageErrorWithoutSendingAnything() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
        long start = System.nanoTime();
        int exit = command.execute("--url", "http://192.0.2.1:8000", "--no-progress");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("not a loopback address"), err.toString());
        // 192.0.2.1 is a documentation address: a connection attempt would hang for seconds.
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
    }
}
