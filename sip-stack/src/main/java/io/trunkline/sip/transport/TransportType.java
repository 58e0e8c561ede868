package io.trunkline.sip.transport;

/** The SIP transports this stack speaks. TLS arrives with the trunk TLS work; the names match the Via token. */
public enum TransportType {
    UDP, TCP;

    public boolean reliable() { return this != UDP; }

    /** Parses a Via / URI transport token, rejecting the ones we cannot send on. */
    public static TransportType parse(String token) {
        return switch (token.toLowerCase(java.util.Locale.ROOT)) {
            case "udp" -> UDP;
            case "tcp" -> TCP;
            default -> throw new IllegalArgumentException("transport must be udp or tcp, got '" + token + "'");
        };
    }
}
