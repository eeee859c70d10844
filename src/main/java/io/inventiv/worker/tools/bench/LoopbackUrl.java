package io.inventiv.worker.tools.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * The benchmark generates load on purpose, so it may only aim at this machine: a URL is
 * accepted when every address its host resolves to is a loopback address. A name that resolves
 * to both loopback and something else is refused, since the client might pick either.
 */
public final class LoopbackUrl {
    private LoopbackUrl() {
    }

    /** The URL without a trailing slash, or IllegalArgumentException saying why it is refused. */
    public static URI require(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("only http:// or https:// URLs are supported, got " + url);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the URL has no host: " + url);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve " + host + ": refusing to benchmark it");
        }
        for (InetAddress address : addresses) {
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("refusing to benchmark " + url + ": " + host + " resolves to "
                        + address.getHostAddress() + ", which is not a loopback address (use 127.0.0.1)");
            }
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }
}
