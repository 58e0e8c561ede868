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

    /** Uploads (campaign CSVs, DNC lists) stream past the JSON body limit up to this; multipart parts spill to disk. */
    static final long MAX_UPLOAD_BYTES = 2L << 30;

    public ApiServer(ServiceConfig config, CallsApi calls, CampaignsApi campaigns, LiveApi live, PrometheusMeterRegistry metrics, BooleanSupplier ready) {
        String openapi = resource("/openapi.json");
        this.address = config.listen().getHostString() + ":" + config.listen().getPort();
        List<ApiKey> keys = config.apiKeys();
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.jetty.multipartConfig.cacheDirectory(config.home().resolve("uploads").toString());
            c.jetty.multipartConfig.maxFileSize(MAX_UPLOAD_BYTES, io.javalin.config.SizeUnit.BYTES);
            c.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
            c.jetty.multipartConfig.maxTotalRequestSize(MAX_UPLOAD_BYTES, io.javalin.config.SizeUnit.BYTES);
            c.jetty.host = config.listen().getHostString();
            c.jetty.port = config.listen().getPort();
            c.routes.before(ctx -> {
                // refused before the body is read: the declared length is enough
                long length = ctx.req().getContentLengthLong();
                long max = upload(ctx) ? MAX_UPLOAD_BYTES : config.maxBodyBytes();
                if (length > max) {
                    throw new ApiException(413, "too_large", null, "body must be at most " + max + " bytes, got " + length, 0);
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
            c.routes.post("/v1/campaigns", ctx -> {
                if (isMultipart(ctx)) {
                    var file = ctx.uploadedFile("recipients");
                    try (InputStream csv = file == null ? null : file.content()) {
                        send(ctx, campaigns.createWithCsv(ctx.attribute(KEY), ctx.formParam("campaign"), csv));
                    }
                } else {
                    send(ctx, campaigns.create(ctx.attribute(KEY), ctx.bodyAsBytes()));
                }
            });
            c.routes.get("/v1/campaigns", ctx -> send(ctx, campaigns.list(ctx.attribute(KEY), ctx.queryParamMap())));
            c.routes.get("/v1/campaigns/{id}", ctx -> send(ctx, campaigns.get(ctx.attribute(KEY), ctx.pathParam("id"))));
            c.routes.post("/v1/campaigns/{id}/recipients", ctx -> send(ctx, campaigns.append(ctx.attribute(KEY), ctx.pathParam("id"), ctx.contentType(), ctx.req().getInputStream())));
            c.routes.get("/v1/campaigns/{id}/recipients", ctx -> send(ctx, campaigns.recipients(ctx.attribute(KEY), ctx.pathParam("id"), ctx.queryParamMap())));
            c.routes.post("/v1/campaigns/{id}/pause", ctx -> send(ctx, campaigns.pause(ctx.attribute(KEY), ctx.pathParam("id"))));
            c.routes.post("/v1/campaigns/{id}/resume", ctx -> send(ctx, campaigns.resume(ctx.attribute(KEY), ctx.pathParam("id"))));
            c.routes.post("/v1/campaigns/{id}/cancel", ctx -> send(ctx, campaigns.cancel(ctx.attribute(KEY), ctx.pathParam("id"))));
            c.routes.post("/v1/dnc", ctx -> send(ctx, campaigns.dncAdd(ctx.contentType(), ctx.req().getInputStream())));
            c.routes.get("/v1/dnc", ctx -> send(ctx, campaigns.dncCheck(ctx.queryParamMap())));
            c.routes.delete("/v1/dnc/{phone}", ctx -> send(ctx, campaigns.dncRemove(ctx.pathParam("phone"))));
            c.routes.get("/v1/live", ctx -> send(ctx, live.live()));
            // the dashboard's files hold no data (it all comes from the API, with the key the operator types in)
            c.routes.get("/dashboard", ctx -> dashboard(ctx, "index.html"));
            c.routes.get("/dashboard/{file}", ctx -> dashboard(ctx, ctx.pathParam("file")));
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

    private static boolean upload(Context ctx) {
        String p = ctx.path();
        return ctx.method() == io.javalin.http.HandlerType.POST && (p.equals("/v1/campaigns") && isMultipart(ctx)
                || p.startsWith("/v1/campaigns/") && p.endsWith("/recipients") || p.equals("/v1/dnc"));
    }

    private static boolean isMultipart(Context ctx) {
        String t = ctx.contentType();
        return t != null && t.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }

    private static final java.util.Map<String, String> DASHBOARD_TYPES = java.util.Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png");

    private static void dashboard(Context ctx, String file) throws IOException {
        int dot = file.lastIndexOf('.');
        String type = dot < 0 ? null : DASHBOARD_TYPES.get(file.substring(dot + 1));
        if (type == null || !file.matches("[A-Za-z0-9_-]+\\.[a-z]+")) throw ApiException.notFound("no such file: " + file);
        try (InputStream in = ApiServer.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) throw ApiException.notFound("no such file: " + file);
            ctx.status(200).contentType(type).header("Cache-Control", "no-cache").result(in.readAllBytes());
        }
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
