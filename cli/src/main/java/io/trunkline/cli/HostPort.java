package io.trunkline.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A HOST:PORT listen address as given on the command line. */
record HostPort(InetAddress host, int port) {
    static HostPort parse(String field, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException(field + " must be HOST:PORT, got '" + value + "'");
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " port must be 0..65535, got '" + value.substring(colon + 1) + "'");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException(field + " port must be 0..65535, got " + port);
        try {
            return new HostPort(InetAddress.getByName(value.substring(0, colon).replace("[", "").replace("]", "")), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(field + " host cannot be resolved: " + value.substring(0, colon));
        }
    }
}
