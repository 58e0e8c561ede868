package io.trunkline.amd.beep;

/**
 * Finds the voicemail beep in 20 ms frames of 8 kHz PCM with a bank of Goertzel filters over 400-2100 Hz.
 *
 * <p>A frame is <em>tonal</em> when the strongest filter holds at least {@link #MIN_PURITY} of the frame's
 * (Hann-windowed) energy and the frame is louder than {@link #MIN_LEVEL_DB}. A <em>tone</em> is a run of tonal
 * frames at a steady frequency (within one filter) and steady level (within {@link #MAX_LEVEL_DROP_DB} of its
 * peak) lasting at least {@link #MIN_TONE_MS}. A <em>beep</em> is one to {@link #MAX_TONES} tones, each starting within
 * {@link #MAX_GAP_MS} of the previous, spanning at most {@link #MAX_BEEP_MS}, and followed by
 * {@link #MAX_GAP_MS} in which the line is at least {@link #QUIET_AFTER_DB} quieter than the tones: a machine
 * records after its beep. Speech fails these tests (its harmonics glide and its level moves; a held vowel
 * decays or is followed by more speech) and so does music on hold (notes follow each other without falling
 * quiet). G.711 quantisation noise is about 38 dB below the signal, so it barely moves the purity.
 *
 * <p>Not thread-safe; preallocated, allocates only the {@link Beep} it reports.
 */
public final class BeepDetector {

    /** Samples in a 20 ms frame at 8 kHz. */
    public static final int FRAME_SAMPLES = 160;
    static final int FRAME_MS = 20;
    static final int LOW_HZ = 400;
    static final int HIGH_HZ = 2100;
    /** Half the 50 Hz resolution of a 160-sample frame, so a tone is never more than 12.5 Hz off a filter. */
    static final int STEP_HZ = 25;
    static final double MIN_PURITY = 0.8;
    static final double MIN_LEVEL_DB = -45;
    static final double MAX_LEVEL_DROP_DB = 6;
    static final int MIN_TONE_MS = 120;
    static final int MAX_GAP_MS = 200;
    static final int MAX_BEEP_MS = 2500;
    /** Beeps have one to three tones (two-tone and double beeps); more is a melody. */
    static final int MAX_TONES = 3;
    /**
     * 8 dB, not more: on a line with noise 5 dB below the speech a beep at speech level stands only that far above
     * the noise after it (measured on the generated tuning corpus: 10 dB missed three such beeps).
     */
    static final double QUIET_AFTER_DB = 8;

    private static final int BINS = (HIGH_HZ - LOW_HZ) / STEP_HZ + 1;
    /** Filters run four at a time (independent recurrences pipeline well); the padding filters are ignored. */
    private static final double[] COEFF = new double[(BINS + 3) / 4 * 4];
    private static final double[] WINDOW = new double[FRAME_SAMPLES];
    /** Scales |X|^2 / windowed energy so that a pure tone on a filter's frequency scores 1. */
    private static final double PURITY_SCALE;

    static {
        double sum = 0;
        double sumSq = 0;
        for (int n = 0; n < FRAME_SAMPLES; n++) {
            WINDOW[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (n + 0.5) / FRAME_SAMPLES);
            sum += WINDOW[n];
            sumSq += WINDOW[n] * WINDOW[n];
        }
        PURITY_SCALE = 2 * sumSq / (sum * sum);
        for (int b = 0; b < COEFF.length; b++) {
            COEFF[b] = 2 * Math.cos(2 * Math.PI * (LOW_HZ + b * STEP_HZ) / 8000.0);
        }
    }

    private static final int MIN_TONE_FRAMES = MIN_TONE_MS / FRAME_MS;
    private static final int MAX_GAP_FRAMES = MAX_GAP_MS / FRAME_MS;

    private final double[] windowed = new double[FRAME_SAMPLES];
    private int frameIndex;

    // the tone candidate: consecutive tonal frames at one frequency and level
    private int toneStartFrame;
    private int toneFrames;
    private int toneBin;
    private double tonePeakDb;

    // the sequence of qualified tones that may be a beep
    private boolean inSequence;
    private boolean sequenceRejected;
    private int sequenceStartFrame;
    private int sequenceEndFrame;
    private int sequenceTones;
    private int sequenceBin;
    private double sequenceLevelDb;
    private double loudestAfterDb;

    private double lastPurity;
    private int lastFrequencyHz;

    /**
     * Analyses one 20 ms frame.
     *
     * @param pcm 8 kHz samples
     * @param offset index of the frame's first sample; {@link #FRAME_SAMPLES} are read
     * @return the beep when this frame completes one, else null
     */
    public Beep onFrame(short[] pcm, int offset) {
        int frame = frameIndex++;
        double energy = 0;
        double windowedEnergy = 0;
        for (int n = 0; n < FRAME_SAMPLES; n++) {
            double x = pcm[offset + n];
            energy += x * x;
            double w = x * WINDOW[n];
            windowed[n] = w;
            windowedEnergy += w * w;
        }
        double levelDb = 10 * Math.log10(energy / FRAME_SAMPLES / (32768.0 * 32768.0) + 1e-20);
        int bin = -1;
        double purity = 0;
        if (levelDb >= MIN_LEVEL_DB) {
            double best = 0;
            for (int b = 0; b < BINS; b += 4) {
                double c0 = COEFF[b];
                double c1 = COEFF[b + 1];
                double c2 = COEFF[b + 2];
                double c3 = COEFF[b + 3];
                double p0 = 0, q0 = 0, p1 = 0, q1 = 0, p2 = 0, q2 = 0, p3 = 0, q3 = 0; // s[n-1], s[n-2] per filter
                for (int n = 0; n < FRAME_SAMPLES; n++) {
                    double x = windowed[n];
                    double s0 = x + c0 * p0 - q0;
                    double s1 = x + c1 * p1 - q1;
                    double s2 = x + c2 * p2 - q2;
                    double s3 = x + c3 * p3 - q3;
                    q0 = p0;
                    p0 = s0;
                    q1 = p1;
                    p1 = s1;
                    q2 = p2;
                    p2 = s2;
                    q3 = p3;
                    p3 = s3;
                }
                double w0 = p0 * p0 + q0 * q0 - c0 * p0 * q0;
                double w1 = p1 * p1 + q1 * q1 - c1 * p1 * q1;
                double w2 = p2 * p2 + q2 * q2 - c2 * p2 * q2;
                double w3 = p3 * p3 + q3 * q3 - c3 * p3 * q3;
                if (w0 > best) {
                    best = w0;
                    bin = b;
                }
                if (w1 > best && b + 1 < BINS) {
                    best = w1;
                    bin = b + 1;
                }
                if (w2 > best && b + 2 < BINS) {
                    best = w2;
                    bin = b + 2;
                }
                if (w3 > best && b + 3 < BINS) {
                    best = w3;
                    bin = b + 3;
                }
            }
            purity = best / windowedEnergy * PURITY_SCALE;
        }
        lastPurity = purity;
        lastFrequencyHz = bin < 0 ? 0 : LOW_HZ + bin * STEP_HZ;
        boolean tonal = purity >= MIN_PURITY;

        if (tonal && toneFrames > 0 && Math.abs(bin - toneBin) <= 1 && levelDb >= tonePeakDb - MAX_LEVEL_DROP_DB) {
            toneFrames++;
            tonePeakDb = Math.max(tonePeakDb, levelDb);
        } else {
            if (toneFrames > 0 && toneFrames < MIN_TONE_FRAMES) {
                candidateFailed();
            }
            if (tonal) {
                toneStartFrame = frame;
                toneFrames = 1;
                toneBin = bin;
                tonePeakDb = levelDb;
            } else {
                toneFrames = 0;
            }
        }
        if (toneFrames == MIN_TONE_FRAMES) {
            toneQualified(frame);
        } else if (toneFrames > MIN_TONE_FRAMES) {
            sequenceEndFrame = frame + 1;
            sequenceLevelDb = Math.max(sequenceLevelDb, levelDb);
        } else if (toneFrames == 0 && inSequence && frame > sequenceEndFrame) {
            // the frame right after the last tone may hold its tail: the quiet check starts one frame later
            loudestAfterDb = Math.max(loudestAfterDb, levelDb);
        }
        return checkComplete(frame);
    }

    /** Purity (0..1) of the last frame's strongest filter; for diagnostics and tests. */
    public double lastPurity() {
        return lastPurity;
    }

    /** Frequency of the last frame's strongest filter, 0 when the frame was too quiet to analyse. */
    public int lastFrequencyHz() {
        return lastFrequencyHz;
    }

    /** Frames analysed so far. */
    public int frames() {
        return frameIndex;
    }

    /** A tone that just became long enough starts a sequence or joins the one that ended within the gap. */
    private void toneQualified(int frame) {
        if (!inSequence) {
            inSequence = true;
            sequenceRejected = false;
            sequenceStartFrame = toneStartFrame;
            sequenceTones = 0;
            sequenceLevelDb = tonePeakDb;
        }
        sequenceTones++;
        sequenceEndFrame = frame + 1;
        sequenceBin = toneBin;
        sequenceLevelDb = Math.max(sequenceLevelDb, tonePeakDb);
        loudestAfterDb = -200;
        if (sequenceTones > MAX_TONES) {
            sequenceRejected = true;
        }
    }

    /** A candidate too short to be a tone was just sound: it counts against the quiet after a sequence. */
    private void candidateFailed() {
        if (inSequence && toneStartFrame > sequenceEndFrame) {
            loudestAfterDb = Math.max(loudestAfterDb, tonePeakDb);
        }
    }

    private Beep checkComplete(int frame) {
        if (!inSequence) {
            return null;
        }
        if ((sequenceEndFrame - sequenceStartFrame) * FRAME_MS > MAX_BEEP_MS) {
            sequenceRejected = true; // a held tone, not a beep
        }
        if (frame + 1 - sequenceEndFrame < MAX_GAP_FRAMES) {
            return null; // a tone is sounding, or the gap in which another may start is still open
        }
        if (toneFrames > 0 && toneStartFrame - sequenceEndFrame <= MAX_GAP_FRAMES) {
            return null; // a tone that started within the gap is still forming
        }
        inSequence = false;
        if (sequenceRejected || loudestAfterDb > sequenceLevelDb - QUIET_AFTER_DB) {
            return null;
        }
        return new Beep(sequenceStartFrame * FRAME_MS, sequenceEndFrame * FRAME_MS, LOW_HZ + sequenceBin * STEP_HZ,
                (frame + 1) * FRAME_MS);
    }
}
