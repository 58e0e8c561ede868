package io.trunkline.media.codec;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The libopus C API, loaded once per JVM. Debian's libopus0 (1.3.x, maintained) is preferred; otherwise the 1.1.2
 * build bundled in {@code club.minnced:opus-java-natives} is extracted and used. The per-frame calls are direct JNA
 * mappings ({@link Native#register}): interface mapping, as opus-java's own wrapper uses, boxes arguments and
 * allocates on every call. {@code opus_encoder_ctl} is variadic, which direct mapping cannot express, so it goes
 * through an interface mapping; it is only called when an encoder is set up.
 */
final class OpusNative {

    static final String DEBIAN_LIBRARY = "/usr/lib/x86_64-linux-gnu/libopus.so.0";

    static final int OPUS_OK = 0;
    static final int OPUS_APPLICATION_VOIP = 2048;
    static final int OPUS_SET_BITRATE_REQUEST = 4002;
    static final int OPUS_SET_COMPLEXITY_REQUEST = 4010;
    static final int OPUS_SET_SIGNAL_REQUEST = 4024;
    static final int OPUS_SIGNAL_VOICE = 3001;

    /** The variadic control call. */
    interface Control extends Library {
        int opus_encoder_ctl(Pointer st, int request, Object... args);
    }

    private static final String LOADED_FROM;
    private static final String LOAD_FAILURE;
    private static final Control CONTROL;

    static {
        String from = null;
        StringBuilder failures = new StringBuilder();
        Control control = null;
        for (String candidate : new String[] {DEBIAN_LIBRARY, null}) {
            try {
                String path = candidate != null ? debian(candidate) : bundled();
                NativeLibrary library = NativeLibrary.getInstance(path);
                Native.register(OpusNative.class, library);
                control = Native.load(path, Control.class);
                from = path;
                break;
            } catch (Exception | UnsatisfiedLinkError e) {
                failures.append(failures.isEmpty() ? "" : "; ")
                        .append(candidate != null ? candidate : "bundled opus-java-natives").append(": ")
                        .append(e.getMessage());
            }
        }
        LOADED_FROM = from;
        CONTROL = control;
        LOAD_FAILURE = from == null ? "libopus could not be loaded (" + failures
                + "). Install Debian's libopus0 or put club.minnced:opus-java-natives on the classpath." : null;
    }

    private OpusNative() {}

    /** Throws {@link IllegalStateException} saying what was tried when neither library could be loaded. */
    static void requireLoaded() {
        if (LOAD_FAILURE != null) {
            throw new IllegalStateException(LOAD_FAILURE);
        }
    }

    /** The file libopus was loaded from. */
    static String loadedFrom() {
        requireLoaded();
        return LOADED_FROM;
    }

    static Control control() {
        requireLoaded();
        return CONTROL;
    }

    private static String debian(String path) {
        if (!Files.isReadable(Path.of(path))) {
            throw new IllegalStateException("not present");
        }
        return path;
    }

    private static String bundled() throws java.io.IOException {
        String file = Platform.isWindows() ? "libopus.dll" : System.mapLibraryName("opus");
        String resource = "/natives/" + Platform.RESOURCE_PREFIX + "/" + file;
        File extracted = Native.extractFromResourcePath(resource, OpusNative.class.getClassLoader());
        return extracted.getAbsolutePath();
    }

    static native Pointer opus_encoder_create(int fs, int channels, int application, int[] error);

    static native int opus_encode(Pointer st, short[] pcm, int frameSize, byte[] data, int maxDataBytes);

    static native void opus_encoder_destroy(Pointer st);

    static native Pointer opus_decoder_create(int fs, int channels, int[] error);

    /** {@code data} null (length 0) asks for packet-loss concealment of {@code frameSize} samples. */
    static native int opus_decode(Pointer st, byte[] data, int len, short[] pcm, int frameSize, int decodeFec);

    static native void opus_decoder_destroy(Pointer st);

    static native String opus_get_version_string();

    static native String opus_strerror(int error);
}
