package io.trunkline.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * The campaigns HTTP API (service/CAMPAIGNS.md) as the CLI uses it: JSON in, JSON out, the bearer key on every
 * request. An answer that is not 2xx becomes an {@link Error} carrying the API's {@code error}, {@code field} and
 * {@code message}; a server that cannot be reached becomes an IOException naming the URL.
 */
final class CampaignApi implements AutoCloseable {
    /** An API refusal: the HTTP status and the JSON error body's fields (field may be null). */
    static final class Error extends RuntimeException {
        final int status;
        final String error;
        final String field;

        Error(int status, String error, String field, String message) {
            super(message);
            this.status = status;
            this.error = error;
            this.field = field;
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** A create streams the whole CSV and the server parses it before answering: give a large import time. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(30);

    private final URI base;
    private final String key;
    private final HttpClient http;

    CampaignApi(URI base, String key) {
        this.base = base;
        this.key = key;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    URI base() {
        return base;
    }

    /** Ends the client's selector thread now rather than at GC: tests run many commands in one JVM. */
    @Override
    public void close() {
        http.close();
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(request(path, REQUEST_TIMEOUT).GET().build());
    }

    JsonNode postJson(String path, String json, Duration timeout) throws IOException, InterruptedException {
        return send(request(path, timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    JsonNode post(String path) throws IOException, InterruptedException {
        return send(request(path, REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    JsonNode postMultipart(String path, Multipart body) throws IOException, InterruptedException {
        return send(request(path, UPLOAD_TIMEOUT).header("Content-Type", body.contentType()).POST(body.publisher()).build());
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + key).header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new IOException("cannot connect to " + base + ": no answer within 5 s (is ./trunkline serve running there? see --url)", e);
        } catch (ConnectException e) {
            throw new IOException("cannot connect to " + base + ": " + (e.getCause() instanceof UnresolvedAddressException
                    ? "the host cannot be resolved" : "connection refused") + " (is ./trunkline serve running there? see --url)", e);
        } catch (HttpTimeoutException e) {
            throw new IOException(base + " did not answer " + request.method() + " " + request.uri().getPath() + " within "
                    + request.timeout().map(d -> d.toSeconds() + " s").orElse("the timeout"), e);
        }
        JsonNode json = null;
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/json") && !r.body().isEmpty()) {
            try {
                json = Json.MAPPER.readTree(r.body());
            } catch (IOException e) {
                json = null; // reported below as an answer that is not the API's JSON
            }
        }
        if (r.statusCode() / 100 == 2 && json != null) return json;
        if (json != null && json.hasNonNull("message")) {
            throw new Error(r.statusCode(), json.path("error").asText(null), json.path("field").asText(null), json.get("message").asText());
        }
        String snippet = io.trunkline.sip.message.HeaderSafety.printable(r.body().length() > 200 ? r.body().substring(0, 200) + "..." : r.body());
        throw new Error(r.statusCode(), "http", null, "HTTP " + r.statusCode() + " from " + request.uri()
                + (r.statusCode() / 100 == 2 ? ": the answer is not JSON" : "") + (snippet.isBlank() ? "" : ": " + snippet));
    }
}
