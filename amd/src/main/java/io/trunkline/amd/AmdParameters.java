package io.trunkline.amd;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated set of AMD parameters (see {@link AmdParameter} for meanings, ranges and defaults).
 * Immutable; {@link #with} returns a changed copy.
 */
public final class AmdParameters {

    private static final AmdParameters DEFAULTS = new AmdParameters(defaultValues());

    private final int[] values;

    private AmdParameters(int[] values) {
        this.values = values;
        if (betweenWordsSilenceMs() >= afterGreetingSilenceMs()) {
            // a gap that long would end the greeting (HUMAN) before it could ever separate two words
            throw new IllegalArgumentException(AmdParameter.BETWEEN_WORDS_SILENCE.key() + " must be less than "
                    + AmdParameter.AFTER_GREETING_SILENCE.key() + " (" + afterGreetingSilenceMs() + " ms), got "
                    + betweenWordsSilenceMs());
        }
    }

    public static AmdParameters defaults() {
        return DEFAULTS;
    }

    /**
     * Parses {@code NAME=VALUE} settings on top of the defaults, e.g. {@code initial_silence=3000}.
     *
     * @throws IllegalArgumentException naming the bad setting, parameter and allowed range
     */
    public static AmdParameters parse(Iterable<String> settings) {
        AmdParameters p = DEFAULTS;
        for (String s : settings) {
            int eq = s == null ? -1 : s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("AMD parameter setting must be NAME=VALUE, got '" + s + "'");
            }
            AmdParameter param = AmdParameter.byKey(s.substring(0, eq));
            p = p.with(param, param.parse(s.substring(eq + 1)));
        }
        return p;
    }

    /** A copy with one parameter changed; range-checked. */
    public AmdParameters with(AmdParameter parameter, long value) {
        int[] v = values.clone();
        v[parameter.ordinal()] = parameter.check(value);
        return new AmdParameters(v);
    }

    public int get(AmdParameter parameter) {
        return values[parameter.ordinal()];
    }

    public int machineDetectionTimeMs() {
        return get(AmdParameter.MACHINE_DETECTION_TIME);
    }

    public int initialSilenceMs() {
        return get(AmdParameter.INITIAL_SILENCE);
    }

    public int initialGreetingMs() {
        return get(AmdParameter.INITIAL_GREETING);
    }

    public int maximumWords() {
        return get(AmdParameter.MAXIMUM_WORDS);
    }

    public int maximumSpeechLengthMs() {
        return get(AmdParameter.MAXIMUM_SPEECH_LENGTH);
    }

    public int afterGreetingSilenceMs() {
        return get(AmdParameter.AFTER_GREETING_SILENCE);
    }

    public int minimumWordLengthMs() {
        return get(AmdParameter.MINIMUM_WORD_LENGTH);
    }

    public int betweenWordsSilenceMs() {
        return get(AmdParameter.BETWEEN_WORDS_SILENCE);
    }

    public int vadMode() {
        return get(AmdParameter.VAD_MODE);
    }

    public int beepWaitMs() {
        return get(AmdParameter.BEEP_WAIT);
    }

    /** All values by API name, in declaration order (for reports). */
    public Map<String, Integer> asMap() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (AmdParameter p : AmdParameter.values()) {
            m.put(p.key(), get(p));
        }
        return m;
    }


    @Override
    public boolean equals(Object o) {
        return o instanceof AmdParameters other && java.util.Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    private static int[] defaultValues() {
        AmdParameter[] all = AmdParameter.values();
        int[] v = new int[all.length];
        for (AmdParameter p : all) {
            v[p.ordinal()] = p.defaultValue();
        }
        return v;
    }
}
