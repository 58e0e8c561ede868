package io.trunkline.engine;

/**
 * When the dial edge takes a trunk out of rotation and how it brings it back. One lost 200 OK or one stalled INVITE
 * must not take the only trunk out, so a trunk goes down only after {@code failures} failures (INVITEs with no
 * response at all, or refused connections) within {@code windowMs}, with no response from it in between. A down
 * trunk is probed with OPTIONS, and any response proves it alive (200, but also 404, 405, 501: many carriers refuse
 * OPTIONS). Since some carriers never answer OPTIONS at all, a down trunk also gets one real call every
 * {@code retryIntervalMs} (half-open); any response to that call brings it back.
 *
 * @param failures        failures within the window that take a trunk down, 1..100
 * @param windowMs        100..3600000
 * @param probeIntervalMs OPTIONS probes of a down trunk, 100..600000
 * @param retryIntervalMs a real call to a down trunk this often, 100..3600000
 */
public record TrunkHealth(int failures, long windowMs, long probeIntervalMs, long retryIntervalMs) {
    public static final TrunkHealth DEFAULT = new TrunkHealth(3, 30_000, 2_000, 10_000);

    public TrunkHealth {
        if (failures < 1 || failures > 100) throw new IllegalArgumentException("trunk_health.failures must be 1..100, got " + failures);
        if (windowMs < 100 || windowMs > 3_600_000) throw new IllegalArgumentException("trunk_health.window must be 100..3600000 ms, got " + windowMs);
        if (probeIntervalMs < 100 || probeIntervalMs > 600_000) throw new IllegalArgumentException("trunk_health.probe_interval must be 100..600000 ms, got " + probeIntervalMs);
        if (retryIntervalMs < 100 || retryIntervalMs > 3_600_000) throw new IllegalArgumentException("trunk_health.retry_interval must be 100..3600000 ms, got " + retryIntervalMs);
    }
}
