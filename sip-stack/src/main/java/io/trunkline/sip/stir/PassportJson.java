package io.trunkline.sip.stir;

import java.util.List;

/**
 * The deterministic JSON of RFC 8225 §9 for the SHAKEN PASSporT's fixed shape: keys in lexicographic order, no
 * whitespace. Written by hand because it is on the signing path of every call.
 */
final class PassportJson {
    private PassportJson() {}

    static String header(String x5u) {
        StringBuilder sb = new StringBuilder(96 + x5u.length());
        sb.append("{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":");
        string(sb, x5u);
        return sb.append('}').toString();
    }

    static String claims(Attestation attest, List<String> destTns, long iat, String origTn, String origId) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("{\"attest\":\"").append(attest.name()).append("\",\"dest\":{\"tn\":[");
        for (int i = 0; i < destTns.size(); i++) {
            if (i > 0) sb.append(',');
            string(sb, destTns.get(i));
        }
        sb.append("]},\"iat\":").append(iat).append(",\"orig\":{\"tn\":");
        string(sb, origTn);
        sb.append("},\"origid\":");
        string(sb, origId);
        return sb.append('}').toString();
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
