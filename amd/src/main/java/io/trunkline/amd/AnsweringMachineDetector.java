package io.trunkline.amd;

import io.trunkline.amd.beep.Beep;
import io.trunkline.amd.beep.BeepDetector;
import io.trunkline.amd.vad.WebRtcVad;
import java.nio.ShortBuffer;

/**
 * Answering-machine detection for one call: push the callee's audio from the answer on, one 20 ms frame of
 * 8 kHz 16-bit PCM at a time. The verdict arrives through {@link AmdListener#onVerdict}; after a MACHINE verdict
 * the detector keeps listening for the end-of-greeting beep and reports it (or its absence after
 * {@code beep_wait}) through {@link AmdListener#onBeep}. The beep detector listens from the answer on, so a beep
 * heard before any rule decided is itself a MACHINE verdict (cause BEEP): short personal greetings end in one.
 * A HUMAN or NOT_SURE verdict is not the end either: for {@code beep_wait} after it the beep detector keeps
 * listening, and a beep then revises the verdict to MACHINE (cause BEEP_AFTER_VERDICT), reported as a
 * second {@link AmdListener#onVerdict} followed by {@link AmdListener#onBeep}. A short voicemail greeting whose
 * beep comes a second after its last word cannot be told from a person's sentence within the human-latency
 * budget; the beep that follows proves it.
 *
 * <p>Holds a native VAD handle: close it when the call ends. Not thread-safe: feed it from one thread.
 * Allocates nothing per frame.
 */
public final class AnsweringMachineDetector implements AutoCloseable {

    /** Samples in one frame: 20 ms at 8 kHz. */
    public static final int FRAME_SAMPLES = 160;

    /**
     * The WebRTC VAD starts from a default noise model and calls the first 80-140 ms of any line noise voice
     * (measured on the corpus: 4 frames in modes 2-3, up to 7 in modes 0-1). Those frames are counted as silence
     * so that the start-up artefact never becomes the first word of a greeting, whatever minimum_word_length is.
     */
    static final int VAD_WARM_UP_MS = 200;

    private final WebRtcVad vad;
    private final AmdStateMachine machine;
    private final BeepDetector beepDetector = new BeepDetector();
    private final LineNoiseGate noiseGate = new LineNoiseGate();
    private final AmdListener listener;
    private final int beepWaitMs;
    private final short[] frame = new short[FRAME_SAMPLES];

    private int elapsedMs;
    private AmdResult result;
    private Beep beep;
    private boolean finished;

    public AnsweringMachineDetector(AmdParameters parameters, AmdListener listener) {
        this.listener = listener;
        this.machine = new AmdStateMachine(parameters);
        this.beepWaitMs = parameters.beepWaitMs();
        this.vad = new WebRtcVad(parameters.vadMode(), 8000);
    }

    /** Feeds one frame: {@link #FRAME_SAMPLES} samples of {@code pcm} from {@code offset}. */
    public void offer(short[] pcm, int offset) {
        if (offset < 0 || offset + FRAME_SAMPLES > pcm.length) {
            throw new IllegalArgumentException("a frame needs " + FRAME_SAMPLES + " samples from offset " + offset
                    + ", the array holds " + pcm.length);
        }
        System.arraycopy(pcm, offset, frame, 0, FRAME_SAMPLES);
        process();
    }

    /** Feeds one frame: the next {@link #FRAME_SAMPLES} samples of the buffer (its position advances). */
    public void offer(ShortBuffer pcm) {
        if (pcm.remaining() < FRAME_SAMPLES) {
            throw new IllegalArgumentException("a frame needs " + FRAME_SAMPLES + " samples, the buffer has "
                    + pcm.remaining());
        }
        pcm.get(frame, 0, FRAME_SAMPLES);
        process();
    }

    /**
     * The audio ended (hang-up, end of a recording): reports what is still pending, a NOT_SURE verdict if
     * undecided and "no beep" if one was awaited.
     */
    public void endOfAudio() {
        if (finished) {
            return;
        }
        finished = true;
        if (result == null) {
            result = machine.onEndOfAudio();
            listener.onVerdict(result);
        }
        if (result.verdict() == AmdVerdict.MACHINE) {
            listener.onBeep(null, elapsedMs);
        }
    }

    /** The verdict, or null while undecided. */
    public AmdResult result() {
        return result;
    }

    /** The beep, or null (none yet, none at all, or not a machine). */
    public Beep beep() {
        return beep;
    }

    /**
     * True once there is nothing more to report: a SILENCE verdict, a MACHINE verdict and its beep outcome, or a
     * HUMAN or NOT_SURE verdict {@code beep_wait} ago.
     */
    public boolean isFinished() {
        return finished;
    }

    /** Audio analysed so far, ms from answer. */
    public int elapsedMs() {
        return elapsedMs;
    }

    private void process() {
        if (finished) {
            return;
        }
        elapsedMs += AmdStateMachine.FRAME_MS;
        Beep heard = beepDetector.onFrame(frame, 0);
        if (result == null) {
            boolean loudEnough = noiseGate.aboveNoise(LineNoiseGate.levelDb(frame, FRAME_SAMPLES));
            // the VAD's voice above the line noise, or a frame far above it the VAD missed (a fricative)
            boolean voice = (vad.isVoice(frame, FRAME_SAMPLES) && loudEnough || noiseGate.strong())
                    && elapsedMs > VAD_WARM_UP_MS;
            AmdResult r = machine.onFrame(voice);
            if (r == null && heard != null) {
                r = machine.onBeep();
            }
            if (r == null) {
                return;
            }
            result = r;
            listener.onVerdict(r);
            if (r.verdict() == AmdVerdict.SILENCE) {
                finished = true;
                return;
            }
        }
        if (result.verdict() != AmdVerdict.MACHINE) {
            if (heard != null) {
                result = new AmdResult(AmdVerdict.MACHINE, AmdCause.BEEP_AFTER_VERDICT, elapsedMs, result.statistics());
                listener.onVerdict(result);
                beep = heard;
                finished = true;
                listener.onBeep(heard, elapsedMs);
            } else if (elapsedMs - result.decisionMs() >= beepWaitMs) {
                finished = true;
            }
            return;
        }
        if (heard != null) {
            beep = heard;
            finished = true;
            listener.onBeep(heard, elapsedMs);
        } else if (elapsedMs - result.decisionMs() >= beepWaitMs) {
            finished = true;
            listener.onBeep(null, elapsedMs);
        }
    }

    @Override
    public void close() {
        vad.close();
    }
}
