package io.inventiv.worker.download;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY as curl reads them. The JDK only reads its own system
 * properties, and a Docker build behind a proxy gets these variables, not those.
 * Loopback addresses never go through a proxy.
 */
final class EnvProxySelector extends ProxySelector {
    private final Map<String, String> env;

    private EnvProxySelector(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** A selector for these variables, or empty when none names a proxy. */
    static Optional<ProxySelector> from(Map<String, String> env) {
        boolean any = variable(env, "https_proxy") != null || variable(env, "http_proxy") != null;
        return any ? Optional.of(new EnvProxySelector(env)) : Optional.empty();
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String setting = variable(env, "https".equalsIgnoreCase(uri.getScheme()) ? "https_proxy" : "http_proxy");
        if (setting == null || setting.isBlank() || isLoopback(host) || excluded(host)) {
            return List.of(Proxy.NO_PROXY);
        }
        URI proxy = URI.create(setting.contains("://") ? setting : "http://" + setting);
        int port = proxy.getPort() != -1 ? proxy.getPort() : 80;
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(), port)));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // Nothing to fall back to: the failure reaches the caller, who reports it.
    }

    private boolean excluded(String host) {
        String noProxy = variable(env, "no_proxy");
        if (noProxy == null) {
            return false;
        }
        return Arrays.stream(noProxy.split(","))
                .map(entry -> entry.trim().toLowerCase(Locale.ROOT))
                .filter(entry -> !entry.isEmpty())
                .anyMatch(entry -> entry.equals("*") || host.equals(entry.replaceFirst("^\\.", ""))
                        || host.endsWith(entry.startsWith(".") ? entry : "." + entry));
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    /** The lower-case name wins, as in curl; the upper-case one is the fallback. */
    private static String variable(Map<String, String> env, String lowerCaseName) {
        String value = env.get(lowerCaseName);
        return value != null ? value : env.get(lowerCaseName.toUpperCase(Locale.ROOT));
    }
}
