package io.trunkline.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * A {@code multipart/form-data} body whose file parts are streamed from disk: the body is a
 * {@link SequenceInputStream} over the small in-memory headers and the open files, so a CSV of a million rows is
 * read in the HTTP client's buffers as it is sent and never held whole. The length is known up front (the files'
 * sizes plus the headers), so the request carries a Content-Length instead of chunked encoding and the server can
 * refuse an oversized upload before reading it.
 */
final class Multipart {
    private sealed interface Part permits Text, File {}
    private record Text(String name, String contentType, byte[] value) implements Part {}
    private record File(String name, String contentType, Path path) implements Part {}

    private final String boundary;
    private final List<Part> parts = new ArrayList<>();

    Multipart() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        // random, so no CSV row can contain it by accident (RFC 2046 asks that the boundary not occur in the parts)
        this.boundary = "trunkline-" + HexFormat.of().formatHex(b);
    }

    Multipart text(String name, String contentType, String value) {
        parts.add(new Text(name, contentType, value.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    Multipart file(String name, String contentType, Path path) {
        parts.add(new File(name, contentType, path));
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The body; the HTTP client may ask for the stream more than once (a retry), so each call reopens the files. */
    HttpRequest.BodyPublisher publisher() throws IOException {
        long length = 0;
        for (Part p : parts) {
            length += header(p).length + 2; // the part's headers, its content, CRLF
            length += switch (p) {
                case Text t -> t.value().length;
                case File f -> Files.size(f.path());
            };
        }
        length += trailer().length;
        Supplier<InputStream> body = this::open;
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length);
    }

    private InputStream open() {
        List<InputStream> streams = new ArrayList<>();
        try {
            for (Part p : parts) {
                streams.add(new ByteArrayInputStream(header(p)));
                streams.add(switch (p) {
                    case Text t -> new ByteArrayInputStream(t.value());
                    case File f -> Files.newInputStream(f.path());
                });
                streams.add(new ByteArrayInputStream(CRLF));
            }
        } catch (IOException e) {
            for (InputStream s : streams) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the open failure is the one to report
                }
            }
            throw new UncheckedIOException(e);
        }
        streams.add(new ByteArrayInputStream(trailer()));
        // SequenceInputStream closes each file as it moves past it, and the rest on close()
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private byte[] header(Part p) {
        String h = switch (p) {
            case Text t -> "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + t.name() + "\"\r\nContent-Type: " + t.contentType() + "\r\n\r\n";
            case File f -> "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.name() + "\"; filename=\""
                    + fileName(f.path()) + "\"\r\nContent-Type: " + f.contentType() + "\r\n\r\n";
        };
        return h.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] trailer() {
        return ("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The file's name as a quoted-string: quotes, backslashes and control characters would break the header. */
    private static String fileName(Path path) {
        Path name = path.getFileName();
        return name == null ? "recipients.csv" : name.toString().replaceAll("[\"\\\\\\p{Cntrl}]", "_");
    }
}
