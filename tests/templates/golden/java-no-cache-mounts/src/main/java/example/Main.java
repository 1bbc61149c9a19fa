package example;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * svc: a minimal example service; replace it with yours.
 *
 * <p>It answers /healthz and / on the port in PORT (default 8080) with the JDK's own
 * HTTP server: no dependencies. Run with --healthcheck, it asks /healthz of the running
 * service and exits 0 when the answer is 200: the image's HEALTHCHECK, as the JRE image has no
 * HTTP client to run one.
 */
public final class Main {
    private static final String HEALTH_PATH = "/healthz";

    private Main() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        if (args.length > 0 && args[0].equals("--healthcheck")) {
            System.exit(check("http://127.0.0.1:" + port + HEALTH_PATH));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int status = 200;
            String body = "hello from svc\n";
            if (path.equals(HEALTH_PATH)) {
                body = "ok\n";
            } else if (!path.equals("/")) {
                status = 404;
                body = "not found\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        System.out.println("svc listening on port " + port);
    }

    /** Asks url; the exit code of the health check. */
    private static int check(String url) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() == 200 ? 0 : 1;
        } catch (IOException error) {
            System.err.println(error);
            return 1;
        }
    }
}
