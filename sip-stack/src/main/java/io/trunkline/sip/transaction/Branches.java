package io.trunkline.sip.transaction;

import java.util.concurrent.ThreadLocalRandom;

/** Via branch and tag values: the RFC 3261 magic cookie plus 64 random bits, unique enough across restarts. */
public final class Branches {
    public static final String MAGIC_COOKIE = "z9hG4bK";

    private Branches() {}

    public static String newBranch() {
        return MAGIC_COOKIE + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    public static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    public static String newCallId(String host) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + "@" + host;
    }
}
