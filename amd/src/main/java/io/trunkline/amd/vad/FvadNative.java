package io.trunkline.amd.vad;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.File;
import java.io.IOException;
import java.util.Locale;

/**
 * Direct JNA mapping of the plain libfvad C API shipped inside the {@code io.github.givimad:libfvad-jni}
 * jar. That jar keeps its libraries under its own folder names ({@code debian-amd64/...}) rather than
 * JNA's {@code linux-x86-64/} layout, so the library is extracted by resource path. Direct mapping
 * ({@link Native#register}) avoids the proxy and reflection cost of interface mapping on the per-frame path.
 */
final class FvadNative {

    private static final String LIBRARY_RESOURCE = resourcePath();

    static {
        File library;
        try {
            library = Native.extractFromResourcePath(LIBRARY_RESOURCE, FvadNative.class.getClassLoader());
        } catch (IOException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("libfvad native library " + LIBRARY_RESOURCE
                    + " not found on the classpath for os.name=" + System.getProperty("os.name")
                    + " os.arch=" + System.getProperty("os.arch")
                    + " (is io.github.givimad:libfvad-jni on the classpath?)", e);
        }
        Native.register(FvadNative.class, NativeLibrary.getInstance(library.getAbsolutePath()));
    }

    private FvadNative() {}

    /** Forces the one-time load; throws {@link IllegalStateException} with the reason when it fails. */
    static void load() {
        // the static initializer does the work
    }

    static native Pointer fvad_new();

    static native void fvad_free(Pointer inst);

    static native void fvad_reset(Pointer inst);

    static native int fvad_set_mode(Pointer inst, int mode);

    static native int fvad_set_sample_rate(Pointer inst, int sampleRate);

    static native int fvad_process(Pointer inst, short[] frame, long length);

    private static String resourcePath() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("mac")) {
            return (arm64 ? "/macos-arm64/" : "/macos-amd64/") + "liblibfvad-jni.dylib";
        }
        if (os.contains("win")) {
            return "/win-amd64/libfvad-jni.dll";
        }
        if (arm64) {
            return "/debian-arm64/liblibfvad-jni.so";
        }
        if (arch.startsWith("arm")) {
            return "/debian-armv7l/liblibfvad-jni.so";
        }
        return x64 ? "/debian-amd64/liblibfvad-jni.so" : "/debian-" + arch + "/liblibfvad-jni.so";
    }
}
