package io.trunkline.media.codec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Resolves an SDP rtpmap (encoding name, clock rate, channels) to a factory for the codec that handles it. Encoding
 * names are case-insensitive (RFC 4855 §3). Each call gets its own codec from {@link Factory#create()}: stateless
 * codecs hand back a shared instance, Opus a new native encoder/decoder pair the call must close.
 */
public final class CodecRegistry {

    /** Makes the codec for one call; the caller closes it. */
    @FunctionalInterface
    public interface Factory {
        AudioCodec create();
    }

    /**
     * One supported rtpmap.
     *
     * @param minClockRate lowest accepted rtpmap clock rate (equal to the max for all but L16)
     * @param staticPayloadType the RFC 3551 static payload type, or -1 when it must be negotiated dynamically
     * @param maker makes the codec for the negotiated clock rate
     */
    public record Entry(String encodingName, int minClockRate, int maxClockRate, int channels, int staticPayloadType,
            IntFunction<AudioCodec> maker) {}

    private static final CodecRegistry STANDARD = new CodecRegistry(List.of(
            new Entry("PCMU", 8000, 8000, 1, 0, rate -> G711Codec.PCMU),
            new Entry("PCMA", 8000, 8000, 1, 8, rate -> G711Codec.PCMA),
            // RFC 7587 §7: always signalled as opus/48000/2, whatever is actually sent
            new Entry("opus", 48000, 48000, 2, -1, rate -> new OpusCodec()),
            new Entry("L16", 8000, 48000, 1, -1, L16Codec::new)));

    private final List<Entry> entries;

    private CodecRegistry(List<Entry> entries) {
        this.entries = entries;
    }

    /** PCMU, PCMA, opus and L16 (mono, 8..48 kHz). */
    public static CodecRegistry standard() {
        return STANDARD;
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * The factory for an rtpmap, if supported.
     *
     * @param channels the rtpmap's channel count; 1 when the rtpmap omits it
     */
    public Optional<Factory> find(String encodingName, int clockRate, int channels) {
        String name = encodingName.toLowerCase(Locale.ROOT);
        for (Entry e : entries) {
            if (e.encodingName().toLowerCase(Locale.ROOT).equals(name) && e.channels() == channels
                    && clockRate >= e.minClockRate() && clockRate <= e.maxClockRate()) {
                return Optional.of(() -> e.maker().apply(clockRate));
            }
        }
        return Optional.empty();
    }

    /**
     * Creates the codec for an rtpmap.
     *
     * @throws IllegalArgumentException naming the rtpmap and what is supported, when nothing matches
     */
    public AudioCodec create(String encodingName, int clockRate, int channels) {
        return find(encodingName, clockRate, channels).orElseThrow(() -> new IllegalArgumentException(
                "unsupported rtpmap " + encodingName + "/" + clockRate + "/" + channels
                        + " (supported: PCMU/8000, PCMA/8000, opus/48000/2, L16/8000..48000 mono)"))
                .create();
    }
}
