package io.trunkline.sip.ua;

import io.trunkline.sip.message.HeaderSafety;
import io.trunkline.sip.transport.TransportType;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A trunk address as operators write it: {@code sip:HOST[:PORT][;transport=udp|tcp]}.
 */
public record SipTarget(String host, int port, TransportType transport, boolean transportPinned) {
    /** A target whose transport may change: UDP switches to TCP for large requests (RFC 3261 §18.1.1). */
    public SipTarget(String host, int port, TransportType transport) {
        this(host, port, transport, false);
    }

    public SipTarget {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("trunk host is required");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("trunk port must be 1..65535, got " + port);
    }

    /** Parses {@code sip:host:port[;transport=tcp]}; a missing port is 5060. */
    public static SipTarget parse(String uri, TransportType defaultTransport) {
        String s = uri.trim();
        if (!s.toLowerCase(Locale.ROOT).startsWith("sip:")) {
            throw new IllegalArgumentException("trunk must look like sip:HOST:PORT, got '" + HeaderSafety.printable(uri) + "'");
        }
        s = s.substring(4);
        TransportType transport = defaultTransport;
        boolean pinned = false;
        int semi = s.indexOf(';');
        if (semi >= 0) {
            for (String param : s.substring(semi + 1).split(";")) {
                if (param.toLowerCase(Locale.ROOT).startsWith("transport=")) {
                    transport = TransportType.parse(param.substring(10));
                    pinned = true; // an explicit transport is the operator's word: never switch it
                }
            }
            s = s.substring(0, semi);
        }
        int at = s.indexOf('@');
        if (at >= 0) s = s.substring(at + 1);
        String host = s;
        int port = 5060;
        int colon = s.lastIndexOf(':');
        if (colon > 0 && s.indexOf(']') < colon) {
            host = s.substring(0, colon);
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("trunk port must be 1..65535, got '" + HeaderSafety.printable(s.substring(colon + 1)) + "'");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        for (char c : host.toCharArray()) {
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == ':')) {
                throw new IllegalArgumentException("trunk host has an invalid character '" + HeaderSafety.printable(String.valueOf(c)) + "'");
            }
        }
        return new SipTarget(host, port, transport, pinned);
    }

    public InetSocketAddress resolve() {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve trunk host " + host);
        }
    }

    @Override
    public String toString() {
        return "sip:" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port
                + (transport == TransportType.UDP && !transportPinned ? "" : ";transport=" + transport.name().toLowerCase(Locale.ROOT));
    }
}
