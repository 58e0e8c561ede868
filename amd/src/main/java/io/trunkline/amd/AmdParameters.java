package io.trunkline.amd;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated set of AMD parameters (see {@link AmdParameter} for meanings, ranges and defaults).
 * Immutable; {@link #with} returns a changed copy. A set remembers which values were set explicitly (by
 * {@link #with} or {@link #parse}), so that a call's own settings can be laid over the engine's configured
 * defaults ({@link #over}) without the untouched ones resetting those defaults.
 */
public final class AmdParameters {

    private static final AmdParameters DEFAULTS = new AmdParameters(defaultValues(), 0);

    private final int[] values;
    /** Bit {@code ordinal} set: that parameter was set explicitly. */
    private final int explicit;

    private AmdParameters(int[] values, int explicit) {
        this.values = values;
        this.explicit = explicit;
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
        return new AmdParameters(v, explicit | 1 << parameter.ordinal());
    }

    /**
     * These settings laid over {@code base}: the values set explicitly here win, the others come from
     * {@code base} (e.g. a call's parameters over the engine's configured defaults).
     *
     * @throws IllegalArgumentException when the mix breaks a rule between parameters
     */
    public AmdParameters over(AmdParameters base) {
        if (explicit == 0) {
            return base;
        }
        int[] v = base.values.clone();
        for (AmdParameter p : AmdParameter.values()) {
            if (isExplicit(p)) {
                v[p.ordinal()] = values[p.ordinal()];
            }
        }
        return new AmdParameters(v, base.explicit | explicit);
    }

    /** True when the parameter was set explicitly rather than left at its default. */
    public boolean isExplicit(AmdParameter parameter) {
        return (explicit & 1 << parameter.ordinal()) != 0;
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
        return o instanceof AmdParameters other && java.util.Arrays.equals(values, other.values)
                && explicit == other.explicit;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(values) * 31 + explicit;
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
