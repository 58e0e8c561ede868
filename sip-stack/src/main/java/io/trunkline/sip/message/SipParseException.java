package io.trunkline.sip.message;

/**
 * A message that could not be turned into a usable SIP message. {@link #statusCode()} is the response a UAS owes
 * the sender when the bytes were a request (400 for bad syntax or framing, 505 for a bad version); for a response,
 * or when not even the first line was readable, the message is dropped.
 */
public final class SipParseException extends Exception {
    private final int statusCode;
    private final boolean request;

    public SipParseException(int statusCode, boolean request, String reason) {
        super(reason, null, false, false); // hot path on floods: no stack trace
        this.statusCode = statusCode;
        this.request = request;
    }

    public int statusCode() { return statusCode; }

    /** True when the first line was a request line, so a response can be sent. */
    public boolean isRequest() { return request; }
}
