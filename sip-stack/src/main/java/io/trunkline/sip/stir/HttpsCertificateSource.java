package io.trunkline.sip.stir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches x5u certificates over HTTPS (the JDK's trust store validates the web server), with connect and request
 * timeouts and a bounded cache with a time to live, as a terminating carrier's verifier does.
 */
public final class HttpsCertificateSource implements CertificateSource {
    private record Cached(List<X509Certificate> chain, long expiresMillis) {}

    private final HttpClient client;
    private final Duration timeout;
    private final long ttlMillis;
    private final int maxEntries;
    private final Clock clock;
    private final Map<String, Cached> cache;

    /** With the JDK's default trust store for the web servers that host certificates. */
    public HttpsCertificateSource(Duration timeout, Duration ttl, int maxEntries, Clock clock) throws java.security.NoSuchAlgorithmException {
        this(javax.net.ssl.SSLContext.getDefault(), timeout, ttl, maxEntries, clock);
    }

    public HttpsCertificateSource(javax.net.ssl.SSLContext tls, Duration timeout, Duration ttl, int maxEntries, Clock clock) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.ttlMillis = ttl.toMillis();
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > HttpsCertificateSource.this.maxEntries;
            }
        };
    }

    /** Fetches that went to the network (the rest came from the cache). */
    public long fetches() { return fetches.sum(); }

    private final java.util.concurrent.atomic.LongAdder fetches = new java.util.concurrent.atomic.LongAdder();

    @Override
    public List<X509Certificate> fetch(String x5u) throws IOException {
        long now = clock.millis();
        synchronized (cache) {
            Cached e = cache.get(x5u);
            if (e != null && e.expiresMillis > now) return e.chain;
        }
        URI uri = URI.create(x5u);
        if (!"https".equalsIgnoreCase(uri.getScheme())) throw new IOException("x5u must be https: " + x5u);
        HttpResponse<byte[]> response;
        fetches.increment();
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted fetching " + x5u);
        }
        if (response.statusCode() != 200) throw new IOException("x5u " + x5u + " answered HTTP " + response.statusCode());
        List<X509Certificate> chain;
        try {
            chain = PemKeys.parseCertificates(response.body());
        } catch (IllegalArgumentException e) {
            throw new IOException("x5u " + x5u + " is not a certificate: " + e.getMessage());
        }
        synchronized (cache) {
            cache.put(x5u, new Cached(chain, now + ttlMillis));
        }
        return chain;
    }
}
