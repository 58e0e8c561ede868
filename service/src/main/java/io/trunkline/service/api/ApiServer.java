package io.trunkline.service.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trunkline.service.config.ApiKey;
import io.trunkline.service.config.ServiceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The HTTP side: Javalin 7 on Jetty 12 with virtual threads, so a request blocked on the store's JDBC costs no
 * platform thread. Routes, bearer-token auth, body limits and the JSON error shape; the work is in {@link CallsApi}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final String KEY = "trunkline.apiKey";

    private final Javalin app;
    private final String address;

    public ApiServer(ServiceConfig config, CallsApi calls, PrometheusMeterRegistry metrics, BooleanSupplier ready) {
        String openapi = resource("/openapi.json");
        this.address = config.listen().getHostString() + ":" + config.listen().getPort();
        List<ApiKey> keys = config.apiKeys();
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.jetty.host = config.listen().getHostString();
            c.jetty.port = config.listen().getPort();
            c.routes.before(ctx -> {
                // refused before the body is read: the declared length is enough
                long length = ctx.req().getContentLengthLong();
                if (length > config.maxBodyBytes()) {
                    throw new ApiException(413, "too_large", null, "body must be at most " + config.maxBodyBytes() + " bytes, got " + length, 0);
                }
            });
            c.routes.before("/v1/*", ctx -> {
                if (ctx.path().equals("/v1/openapi.json")) return;
                ctx.attribute(KEY, authenticate(keys, ctx.header("Authorization")));
            });
            c.routes.get("/healthz", ctx -> json(ctx, 200, "{\"status\":\"ok\"}"));
            c.routes.get("/readyz", ctx -> {
                boolean ok = calls.accepting() && ready.getAsBoolean();
                json(ctx, ok ? 200 : 503, ok ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\"}");
            });
            c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            c.routes.get("/v1/openapi.json", ctx -> json(ctx, 200, openapi));
            c.routes.post("/v1/calls", ctx -> send(ctx, calls.create(ctx.attribute(KEY), ctx.bodyAsBytes(), ctx.header("Idempotency-Key"))));
            c.routes.post("/v1/calls/batch", ctx -> send(ctx, calls.batch(ctx.attribute(KEY), ctx.bodyAsBytes(), ctx.header("Idempotency-Key"))));
            c.routes.get("/v1/calls", ctx -> send(ctx, calls.list(ctx.attribute(KEY), ctx.queryParamMap())));
            c.routes.get("/v1/calls/{id}", ctx -> send(ctx, calls.get(ctx.attribute(KEY), ctx.pathParam("id"))));
            c.routes.get("/v1/calls/{id}/events", ctx -> send(ctx, calls.events(ctx.attribute(KEY), ctx.pathParam("id"))));
            c.routes.post("/v1/calls/{id}/hangup", ctx -> send(ctx, calls.hangup(ctx.attribute(KEY), ctx.pathParam("id"))));
            c.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
            c.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) ->
                    error(ctx, new ApiException(e.getStatus(), e.getStatus() == 413 ? "too_large" : "http", null, e.getMessage(), 0)));
            c.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed: {}", ctx.method(), ctx.path(), e.toString());
                error(ctx, new ApiException(500, "internal", null, "internal error", 0));
            });
            c.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) error(ctx, ApiException.notFound("no such endpoint: " + ctx.method() + " " + ctx.path()));
            });
            c.routes.error(405, ctx -> error(ctx, new ApiException(405, "method_not_allowed", null, ctx.method() + " is not allowed on " + ctx.path(), 0)));
        });
    }

    /** @throws IOException when the HTTP address is taken or cannot be bound, said plainly */
    public ApiServer start() throws IOException {
        try {
            app.start();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException) {
                    app.stop();
                    throw new IOException("HTTP address " + address + " is already in use (server.listen or --listen)");
                }
            }
            throw e;
        }
        return this;
    }

    public int port() { return app.port(); }

    /** Finds the key the bearer token belongs to; every key is compared, each in constant time. */
    static ApiKey authenticate(List<ApiKey> keys, String authorization) {
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : null;
        ApiKey found = null;
        for (ApiKey k : keys) if (k.matches(token)) found = k;
        if (found == null) {
            throw new ApiException(401, "unauthorized", null, token == null ? "an Authorization: Bearer <API key> header is required" : "the API key is not valid", 0);
        }
        return found;
    }

    private static void send(Context ctx, ApiResponse r) {
        json(ctx, r.status(), r.body());
    }

    private static void json(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
    }

    private static void error(Context ctx, ApiException e) {
        var n = CallsApi.JSON.createObjectNode();
        n.put("error", e.error());
        if (e.field() != null) n.put("field", e.field());
        n.put("message", e.getMessage());
        if (e.retryAfterSeconds() > 0) ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        if (e.status() == 401) ctx.header("WWW-Authenticate", "Bearer");
        json(ctx, e.status(), n.toString());
    }

    private static String resource(String name) {
        try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " missing from the service jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
