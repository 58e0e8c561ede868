package io.trunkline.service.api;

/** A status and a JSON body. */
public record ApiResponse(int status, String body) {
    /** The form an idempotency record keeps: the status, a newline, the body. */
    String stored() { return status + "\n" + body; }

    static ApiResponse fromStored(String s) {
        int nl = s.indexOf('\n');
        return new ApiResponse(Integer.parseInt(s.substring(0, nl)), s.substring(nl + 1));
    }
}
