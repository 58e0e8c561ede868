package io.trunkline.sip.torture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The RFC 4475 messages and what MANIFEST.csv expects of each (test resources, copied byte-exact from shared/). */
record TortureManifest(String file, String section, String expectation) {
    /** "valid", or the status code, or "drop". */
    String action() {
        if (expectation.equals("valid")) return "valid";
        return expectation.substring(expectation.indexOf('(') + 1, expectation.indexOf(')'));
    }

    boolean valid() { return expectation.equals("valid"); }

    boolean drop() { return action().equals("drop"); }

    int status() { return Integer.parseInt(action()); }

    byte[] bytes() {
        return resource("/sip-torture/" + file);
    }

    static List<TortureManifest> all() {
        String csv = new String(resource("/sip-torture/MANIFEST.csv"), StandardCharsets.UTF_8);
        List<TortureManifest> rows = new ArrayList<>();
        for (String line : csv.split("\n")) {
            if (line.isBlank() || line.startsWith("file,")) continue;
            String[] f = line.split(",", 4);
            rows.add(new TortureManifest(f[0], f[1], f[2]));
        }
        return rows;
    }

    static byte[] resource(String path) {
        try (InputStream in = TortureManifest.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing test resource " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() { return file + " (" + expectation + ")"; }
}
