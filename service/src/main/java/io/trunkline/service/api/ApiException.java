package io.trunkline.service.api;

/**
 * A request the API refuses, with the HTTP status hosted dialer APIs use and a body that names the field:
 * {@code {"error":"validation","field":"machine_detection_time","message":"must be 2000..10000 ms, got 500"}}.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String error;
    private final String field;
    private final long retryAfterSeconds;

    public ApiException(int status, String error, String field, String message, long retryAfterSeconds) {
        super(message, null, false, false); // no stack trace: these are answers, not faults
        this.status = status;
        this.error = error;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException validation(String field, String message) {
        return new ApiException(400, "validation", field, message, 0);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", null, what, 0);
    }

    public int status() { return status; }

    public String error() { return error; }

    /** The request field at fault, or null. */
    public String field() { return field; }

    /** Seconds for a Retry-After header, 0 for none. */
    public long retryAfterSeconds() { return retryAfterSeconds; }
}
