package io.inventiv.worker.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A raw HTTP/1.1 client that can vanish at a chosen moment, as a real client does. */
final class SseSocket implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader reader;

    SseSocket(URI base, String path, String json) throws IOException {
        this(base, path, json, 0, "");
    }

    /** With {@code headers}: more header lines, each ending with CRLF. */
    SseSocket(URI base, String path, String json, String headers) throws IOException {
        this(base, path, json, 0, headers);
    }

    /** With {@code receiveBufferBytes} &gt; 0, a small window: a client that stops reading fills it soon. */
    SseSocket(URI base, String path, String json, int receiveBufferBytes) throws IOException {
        this(base, path, json, receiveBufferBytes, "");
    }

    private SseSocket(URI base, String path, String json, int receiveBufferBytes, String headers) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes); // before connecting, or the window is already agreed
        }
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
        socket.setSoTimeout(30_000);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + headers + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The status code of the response. */
    int status() throws IOException {
        String statusLine = reader.readLine();
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** Reads lines until one starts with the prefix; returns it. */
    String readUntil(String prefix) throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("connection ended before a line starting with " + prefix);
    }

    /** Every line until one equals {@code last} (included), or until the connection ends or resets. */
    List<String> linesUntil(String last) {
        List<String> lines = new ArrayList<>();
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (line.equals(last)) {
                    break;
                }
            }
        } catch (IOException reset) {
            // the server closed the connection
        }
        return lines;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
