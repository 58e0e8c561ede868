package io.trunkline.amd.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Decoding checked against encoders that follow ITU-T G.191 (reference tables in src/test/resources/g711). */
class G711Test {

    static byte[] reference(String name) throws IOException {
        try (InputStream in = G711Test.class.getResourceAsStream("/g711/" + name)) {
            byte[] b = in.readAllBytes();
            assertEquals(65536, b.length);
            return b;
        }
    }

    @Test
    void ulawDecodesEveryCodeInsideItsReferenceInterval() throws IOException {
        byte[] enc = reference("ulaw-reference.bin");
        for (int s = -32768; s <= 32767; s++) {
            byte code = enc[s + 32768];
            short decoded = G711.ulawToLinear(code);
            // re-encoding the decoded value gives the same code: the decoder lands inside the code's interval
            // (except mu-law's "negative zero" 0x7F, which decodes to 0 like 0xFF)
            if (code != 0x7F) {
                assertEquals(code, enc[decoded + 32768], "sample " + s);
            } else {
                assertEquals(0, decoded);
            }
            assertTrue(Math.abs(decoded - s) <= Math.max(4, Math.abs(s) / 16 + 128), "sample " + s + " -> " + decoded);
        }
    }

    @Test
    void alawDecodesEveryCodeInsideItsReferenceInterval() throws IOException {
        byte[] enc = reference("alaw-reference.bin");
        for (int s = -32768; s <= 32767; s++) {
            byte code = enc[s + 32768];
            short decoded = G711.alawToLinear(code);
            assertEquals(code, enc[decoded + 32768], "sample " + s);
            assertTrue(Math.abs(decoded - s) <= Math.max(16, Math.abs(s) / 16 + 512), "sample " + s + " -> " + decoded);
        }
    }

    @Test
    void knownCodes() {
        assertEquals(0, G711.ulawToLinear((byte) 0xFF));
        assertEquals(-32124, G711.ulawToLinear((byte) 0x00));
        assertEquals(32124, G711.ulawToLinear((byte) 0x80));
        assertEquals(8, G711.alawToLinear((byte) 0xD5));
        assertEquals(-8, G711.alawToLinear((byte) 0x55));
        assertEquals(32256, G711.alawToLinear((byte) 0xAA));
    }
}
