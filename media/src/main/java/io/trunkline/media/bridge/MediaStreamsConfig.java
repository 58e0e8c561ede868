package io.trunkline.media.bridge;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how {@link MediaStreamsBridge} reaches the assistant service. Built with {@link #builder(String)}; every
 * value is checked there and a bad one fails with the field's name and the allowed range.
 *
 * @param url            {@code ws://} or {@code wss://} URL of the assistant; a query string (often a token) is sent
 *                       but never logged
 * @param connectTimeout budget for TCP connect, TLS and the WebSocket upgrade together
 * @param trustStore     trust anchors for {@code wss://}; null means the JDK's default trust store
 * @param headers        extra HTTP headers on the upgrade request (e.g. Authorization); never logged
 * @param accountSid     the {@code accountSid} value sent in {@code start} and {@code stop}
 * @param ioThreads      event-loop threads shared by all of this bridge's connections
 * @param maxMessageBytes largest inbound message (after reassembling fragments) accepted from the assistant
 * @param sendBufferBytes outbound bytes queued per connection before audio frames are dropped (the high water mark)
 */
public record MediaStreamsConfig(URI url, Duration connectTimeout, TrustStore trustStore, Map<String, String> headers,
                                 String accountSid, int ioThreads, int maxMessageBytes, int sendBufferBytes) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final String DEFAULT_ACCOUNT_SID = "AC00000000000000000000000000000000";
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
    /** About 1.4 s of outbound audio frames: beyond that, audio is stale for a conversation and is dropped. */
    public static final int DEFAULT_SEND_BUFFER_BYTES = 32 * 1024;

    public MediaStreamsConfig {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("url: scheme must be ws or wss, got '" + url.getScheme() + "' in " + redact(url));
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("url: a host is required in " + redact(url));
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.toMillis() < 1 || connectTimeout.toMillis() > 60_000) {
            throw new IllegalArgumentException("connectTimeout: must be 1 ms to 60 s, got " + connectTimeout.toMillis() + " ms");
        }
        if (trustStore != null && scheme.equals("ws")) {
            throw new IllegalArgumentException("trustStore: only applies to a wss:// url, got " + redact(url));
        }
        headers = Map.copyOf(headers);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (!h.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("headers: '" + h.getKey() + "' is not an HTTP header name");
            }
            // the value may be a credential: name the header, never print the value
            if (h.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("headers: the value of " + h.getKey() + " contains CR, LF or NUL");
            }
        }
        Objects.requireNonNull(accountSid, "accountSid");
        if (accountSid.isBlank() || accountSid.length() > 64) {
            throw new IllegalArgumentException("accountSid: must be 1 to 64 characters, got " + accountSid.length());
        }
        if (ioThreads < 1 || ioThreads > 64) {
            throw new IllegalArgumentException("ioThreads: must be 1 to 64, got " + ioThreads);
        }
        if (maxMessageBytes < 4096 || maxMessageBytes > 16 << 20) {
            throw new IllegalArgumentException("maxMessageBytes: must be 4096 to 16777216, got " + maxMessageBytes);
        }
        if (sendBufferBytes < 2048 || sendBufferBytes > 4 << 20) {
            throw new IllegalArgumentException("sendBufferBytes: must be 2048 to 4194304, got " + sendBufferBytes);
        }
    }

    public boolean secure() {
        return url.getScheme().equalsIgnoreCase("wss");
    }

    public int port() {
        return url.getPort() != -1 ? url.getPort() : secure() ? 443 : 80;
    }

    /** The URL as it may appear in logs and reasons: no user info, no query (tokens live there), no fragment. */
    public String redactedUrl() {
        return redact(url);
    }

    static String redact(URI url) {
        StringBuilder b = new StringBuilder();
        if (url.getScheme() != null) b.append(url.getScheme()).append("://");
        if (url.getHost() != null) b.append(url.getHost());
        if (url.getPort() != -1) b.append(':').append(url.getPort());
        if (url.getRawPath() != null) b.append(url.getRawPath());
        if (url.getRawQuery() != null) b.append("?…");
        return b.toString();
    }

    @Override
    public String toString() {
        return "MediaStreamsConfig[url=" + redactedUrl() + ", connectTimeout=" + connectTimeout + ", trustStore="
                + trustStore + ", headers=" + headers.keySet() + ", ioThreads=" + ioThreads + "]";
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    /**
     * A trust store file (PKCS12 or JKS) holding the certificates that may sign the assistant's server certificate.
     * The password is only used to check the file's integrity and is never printed.
     */
    public record TrustStore(Path path, String type, char[] password) {
        public TrustStore {
            Objects.requireNonNull(path, "trustStore.path");
            if (!Files.isReadable(path)) throw new IllegalArgumentException("trustStore.path: not a readable file: " + path);
            type = type == null ? "PKCS12" : type;
            password = password == null ? null : password.clone();
        }

        @Override
        public String toString() {
            return type + ":" + path;
        }
    }

    public static final class Builder {
        private final URI url;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private TrustStore trustStore;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String accountSid = DEFAULT_ACCOUNT_SID;
        private int ioThreads = 1;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int sendBufferBytes = DEFAULT_SEND_BUFFER_BYTES;

        private Builder(String url) {
            Objects.requireNonNull(url, "url");
            try {
                this.url = new URI(url);
            } catch (URISyntaxException e) {
                // the input may carry a token: report the position, not the text
                throw new IllegalArgumentException("url: not a valid URI (" + e.getReason() + " at index " + e.getIndex() + ")");
            }
        }

        public Builder connectTimeout(Duration timeout) { this.connectTimeout = timeout; return this; }

        public Builder trustStore(Path path, String type, char[] password) {
            this.trustStore = new TrustStore(path, type, password);
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "header name"), Objects.requireNonNull(value, "header value"));
            return this;
        }

        public Builder accountSid(String accountSid) { this.accountSid = accountSid; return this; }

        public Builder ioThreads(int ioThreads) { this.ioThreads = ioThreads; return this; }

        public Builder maxMessageBytes(int bytes) { this.maxMessageBytes = bytes; return this; }

        public Builder sendBufferBytes(int bytes) { this.sendBufferBytes = bytes; return this; }

        public MediaStreamsConfig build() {
            return new MediaStreamsConfig(url, connectTimeout, trustStore, headers, accountSid, ioThreads,
                    maxMessageBytes, sendBufferBytes);
        }
    }
}
