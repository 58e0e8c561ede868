package io.trunkline.sip.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where and how the SIP transport listens.
 *
 * @param bindAddress  local address for every socket (loopback in tests, the trunk-facing address in production)
 * @param udpPort      UDP port; 0 picks a free one, -1 disables UDP
 * @param tcpPort      TCP listen port; 0 picks a free one, -1 disables TCP (outgoing TCP still works)
 * @param ioThreads    event loops; with epoll, one UDP socket per loop shares the port through SO_REUSEPORT
 * @param receiveBufferBytes SO_RCVBUF; the kernel default (~212 KB) drops bursts of a few thousand datagrams
 */
public record TransportConfig(InetAddress bindAddress, int udpPort, int tcpPort, int ioThreads, int receiveBufferBytes) {
    public TransportConfig {
        checkPort("udpPort", udpPort);
        checkPort("tcpPort", tcpPort);
        if (udpPort < 0 && tcpPort < 0) throw new IllegalArgumentException("at least one of udp and tcp must be enabled");
        if (ioThreads < 1 || ioThreads > 64) throw new IllegalArgumentException("ioThreads must be 1..64, got " + ioThreads);
        if (receiveBufferBytes < 65_536 || receiveBufferBytes > 64 << 20) {
            throw new IllegalArgumentException("receiveBufferBytes must be 65536..67108864, got " + receiveBufferBytes);
        }
    }

    private static void checkPort(String name, int port) {
        if (port < -1 || port > 65535) throw new IllegalArgumentException(name + " must be -1 (off), 0 (any) or 1..65535, got " + port);
    }

    public static TransportConfig loopback(int udpPort, int tcpPort) {
        return new TransportConfig(InetAddress.getLoopbackAddress(), udpPort, tcpPort, defaultThreads(), 4 << 20);
    }

    public static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    public TransportConfig withThreads(int n) {
        return new TransportConfig(bindAddress, udpPort, tcpPort, n, receiveBufferBytes);
    }

    public InetSocketAddress udpAddress() { return new InetSocketAddress(bindAddress, Math.max(udpPort, 0)); }
}
