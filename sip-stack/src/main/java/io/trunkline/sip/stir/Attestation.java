package io.trunkline.sip.stir;

/** SHAKEN attestation levels (ATIS-1000074): A full, B partial, C gateway. */
public enum Attestation {
    A, B, C;

    public static Attestation parse(String field, String value) {
        if (value != null && value.length() == 1) {
            for (Attestation a : values()) if (a.name().equalsIgnoreCase(value)) return a;
        }
        throw new IllegalArgumentException(field + " must be A, B or C, got '" + value + "'");
    }

    /** True when this level is no stronger than {@code max} (A is the strongest). */
    public boolean atMost(Attestation max) {
        return ordinal() >= max.ordinal();
    }
}
