package io.trunkline.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The encoders against the ITU-T G.191 reference encodings of all 65,536 linear samples (test resources). */
class G711Test {

    private static byte[] reference(String name, String sha256) throws Exception {
        try (InputStream in = G711Test.class.getResourceAsStream("/g711/" + name)) {
            byte[] table = in.readAllBytes();
            assertEquals(65536, table.length);
            assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(table)),
                    name + " is not the published reference");
            return table;
        }
    }

    @Test
    void ulawEncoderIsBitExactWithG191() throws Exception {
        byte[] ref = reference("ulaw-reference.bin", "90c29de505fb68e766118303bd552a16005dcf810873698bee1d8f3b247ce28c");
        for (int i = 0; i < 65536; i++) {
            short s = (short) (i - 32768);
            assertEquals(ref[i], G711.linearToUlaw(s), "sample " + s);
        }
    }

    @Test
    void alawEncoderIsBitExactWithG191() throws Exception {
        byte[] ref = reference("alaw-reference.bin", "38488f6fd710f4686360edc4d38639f96c491595ef93f8eb8d62d5e07ca6ce7b");
        for (int i = 0; i < 65536; i++) {
            short s = (short) (i - 32768);
            assertEquals(ref[i], G711.linearToAlaw(s), "sample " + s);
        }
    }

    /** Decoding then re-encoding every code gives the code back (μ-law's two zeros both decode to 0). */
    @Test
    void decodeIsTheInverseOfEncodeOnEveryCode() {
        for (int c = 0; c < 256; c++) {
            byte code = (byte) c;
            assertEquals(code, G711.linearToAlaw(G711.alawToLinear(code)), "A-law code " + c);
            byte back = G711.linearToUlaw(G711.ulawToLinear(code));
            assertTrue(back == code || (c == 0x7f && back == (byte) 0xff), "μ-law code " + c);
        }
    }

    @Test
    void decodedValueLiesInsideTheEncodersQuantisationInterval() {
        byte[] ref = new byte[65536];
        for (int i = 0; i < 65536; i++) ref[i] = G711.linearToUlaw((short) (i - 32768));
        for (int c = 0; c < 256; c++) {
            short lin = G711.ulawToLinear((byte) c);
            if (c == 0x7f) continue;
            assertEquals((byte) c, ref[lin + 32768], "μ-law code " + c + " decodes outside its own interval");
        }
    }

    @Test
    void knownCodesDecodeToTheG191Values() {
        assertEquals(0, G711.ulawToLinear((byte) 0xFF));
        assertEquals(0, G711.ulawToLinear((byte) 0x7F));
        assertEquals(-32124, G711.ulawToLinear((byte) 0x00));
        assertEquals(32124, G711.ulawToLinear((byte) 0x80));
        assertEquals(8, G711.alawToLinear((byte) 0xD5));
        assertEquals(-8, G711.alawToLinear((byte) 0x55));
        assertEquals(32256, G711.alawToLinear((byte) 0xAA));
    }
}
