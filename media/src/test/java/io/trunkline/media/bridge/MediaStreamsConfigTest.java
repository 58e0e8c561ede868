package io.trunkline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MediaStreamsConfigTest {

    private static String error(MediaStreamsConfig.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void defaults() {
        MediaStreamsConfig c = MediaStreamsConfig.builder("wss://agent.example.com/media").build();
        assertTrue(c.secure());
        assertEquals(443, c.port());
        assertEquals(Duration.ofSeconds(3), c.connectTimeout());
        assertEquals(1, c.ioThreads());
        assertEquals(80, MediaStreamsConfig.builder("ws://agent.example.com").build().port());
    }

    @Test
    void badValuesNameTheFieldAndRange() {
        assertEquals("url: scheme must be ws or wss, got 'http' in http://h/p?…",
                error(MediaStreamsConfig.builder("http://h/p?token=x")));
        assertEquals("url: a host is required in ws:///p", error(MediaStreamsConfig.builder("ws:///p")));
        assertEquals("connectTimeout: must be 1 ms to 60 s, got 0 ms",
                error(MediaStreamsConfig.builder("ws://h").connectTimeout(Duration.ZERO)));
        assertEquals("ioThreads: must be 1 to 64, got 0", error(MediaStreamsConfig.builder("ws://h").ioThreads(0)));
        assertEquals("maxMessageBytes: must be 4096 to 16777216, got 100",
                error(MediaStreamsConfig.builder("ws://h").maxMessageBytes(100)));
        assertEquals("sendBufferBytes: must be 2048 to 4194304, got 1",
                error(MediaStreamsConfig.builder("ws://h").sendBufferBytes(1)));
        assertEquals("accountSid: must be 1 to 64 characters, got 0", error(MediaStreamsConfig.builder("ws://h").accountSid("")));
        assertEquals("headers: 'Bad Name' is not an HTTP header name", error(MediaStreamsConfig.builder("ws://h").header("Bad Name", "v")));
        assertEquals("headers: the value of Authorization contains CR, LF or NUL",
                error(MediaStreamsConfig.builder("ws://h").header("Authorization", "Bearer x\r\nX-Injected: 1")));
    }

    @Test
    void secretsNeverAppearInRedactedUrlsErrorsOrToString() {
        MediaStreamsConfig c = MediaStreamsConfig.builder("wss://user:pw@agent.example.com:8443/m?token=abc#frag")
                .header("Authorization", "Bearer xyz").build();
        assertEquals("wss://agent.example.com:8443/m?…", c.redactedUrl());
        assertFalse(c.toString().contains("abc") || c.toString().contains("xyz") || c.toString().contains("pw"), c.toString());
        String bad = assertThrows(IllegalArgumentException.class, () -> MediaStreamsConfig.builder("ws://h/ p?token=abc")).getMessage();
        assertFalse(bad.contains("abc"), bad);
        assertTrue(bad.startsWith("url: not a valid URI"), bad);
    }
}
