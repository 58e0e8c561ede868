package io.trunkline.sip.message;

/**
 * Guards every user-supplied string on its way into a SIP header. CR and LF would end the header and start one of
 * the caller's choosing (header injection); NUL truncates values in C peers. The message names the field, never the
 * value, because a value may be a secret.
 */
public final class HeaderSafety {
    private HeaderSafety() {}

    public static String require(String field, String value) {
        if (value == null) throw new IllegalArgumentException(field + " is required");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(field + " must not contain CR, LF or NUL (position " + i + ")");
            }
        }
        return value;
    }

    /**
     * Rejected input echoed in an error message: every character outside printable ASCII becomes '?', so the
     * message itself can carry no CR, LF, NUL or terminal escape.
     */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    /** Like {@link #require} but allows null (an absent optional field). */
    public static String optional(String field, String value) {
        return value == null ? null : require(field, value);
    }

    /** A header name must be an RFC 3261 token. */
    public static String requireHeaderName(String field, String name) {
        require(field, name);
        if (name.isEmpty()) throw new IllegalArgumentException(field + " must not be empty");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7e || !HeaderGrammar.isTokenChar((byte) c)) {
                throw new IllegalArgumentException(field + " must be a header token, got character '" + c + "' at " + i);
            }
        }
        return name;
    }

    /** A SIP URI user part: unreserved, escaped and user-unreserved characters only (RFC 3261 §25.1). */
    public static String requireUser(String field, String user) {
        require(field, user);
        if (user.isEmpty() || user.length() > 128) throw new IllegalArgumentException(field + " must be 1..128 characters");
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-_.!~*'()&=+$,;?/%".indexOf(c) >= 0;
            if (!ok) throw new IllegalArgumentException(field + " has a character not allowed in a SIP user part at " + i);
        }
        return user;
    }
}
