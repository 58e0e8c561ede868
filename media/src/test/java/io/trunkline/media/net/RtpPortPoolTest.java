package io.trunkline.media.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pool against real sockets on loopback: a pair another socket holds is skipped. */
class RtpPortPoolTest {
    private final Map<Integer, DatagramSocket[]> bound = new HashMap<>();

    private boolean bindPair(int port) {
        try {
            DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            try {
                DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1));
                bound.put(port, new DatagramSocket[] {rtp, rtcp});
                return true;
            } catch (SocketException e) {
                rtp.close();
                return false;
            }
        } catch (SocketException e) {
            return false;
        }
    }

    private void unbind(RtpPortPool pool, int port) {
        for (DatagramSocket s : bound.remove(port)) s.close();
        pool.release(port);
    }

    private static int freeEvenBase() throws Exception {
        for (int base = 42_000; base < 60_000; base += 16) {
            boolean ok = true;
            for (int p = base; p < base + 8 && ok; p++) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p))) {
                    ok = true;
                } catch (SocketException e) {
                    ok = false;
                }
            }
            if (ok) return base;
        }
        throw new IllegalStateException("no free test range");
    }

    @Test
    void allocatesEvenPairsSkipsTakenOnesAndReturnsToZero() throws Exception {
        int base = freeEvenBase();
        RtpPortPool pool = new RtpPortPool(base, base + 5);
        assertEquals(3, pool.capacity());
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + 1))) {
            int a = pool.acquire(this::bindPair);
            assertEquals(base + 2, a, "the pair whose RTCP port is taken is skipped");
            int b = pool.acquire(this::bindPair);
            assertEquals(base + 4, b);
            assertEquals(1, pool.bindFailures());
            assertEquals(2, pool.inUse());
            var full = assertThrows(IllegalStateException.class, () -> pool.acquire(this::bindPair));
            assertTrue(full.getMessage().contains("no free RTP port pair"), full.getMessage());
            unbind(pool, a);
            unbind(pool, b);
        }
        assertEquals(0, pool.inUse());
        int c = pool.acquire(this::bindPair);
        assertEquals(0, c % 2);
        unbind(pool, c);
        assertEquals(0, pool.inUse());
    }

    @Test
    void rejectsBadRangesAndReleases() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RtpPortPool(10_001, 10_100))
                .getMessage().contains("first=10001"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RtpPortPool(10_000, 10_000))
                .getMessage().contains("last=10000"));
        RtpPortPool pool = new RtpPortPool(10_000, 10_099);
        assertThrows(IllegalStateException.class, () -> pool.release(10_002));
        assertThrows(IllegalArgumentException.class, () -> pool.release(10_003));
    }
}
