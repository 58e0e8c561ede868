package io.trunkline.sim;

import io.trunkline.media.MediaConfig;
import io.trunkline.media.MediaEngine;
import io.trunkline.media.codec.CodecRegistry;
import io.trunkline.media.net.RtpSession;
import io.trunkline.media.record.CallRecorder;
import io.trunkline.media.record.RecordingWriter;
import io.trunkline.sip.sdp.LocalMedia;
import io.trunkline.sip.sdp.NegotiatedMedia;
import io.trunkline.sip.sdp.SdpException;
import io.trunkline.sip.sdp.SdpOffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The simulator's audio: it answers offers for real (G.711 and telephone-event), plays a greeting to the caller
 * from answer (a corpus clip, so the caller hears a person or a voicemail), records what it receives to a WAV per
 * call when asked, and logs the RFC 4733 digits it receives with their timing.
 */
public final class SimMedia implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimMedia.class);

    /** A digit the simulator received, with the call it came on and when (ms since that call's media started). */
    public record ReceivedDigit(String callId, char digit, int durationMs, long atMs) {}

    private final MediaEngine engine;
    private final CodecRegistry codecs = CodecRegistry.standard();
    private final RecordingWriter recordings;
    private final Function<String, short[]> greetings;
    private final Path recordDir;
    private final List<ReceivedDigit> digits = new ArrayList<>();

    /**
     * @param greetings the 8 kHz clip to play to each called number (null: silence)
     * @param recordDir where to record each call as {@code <called>-<callId>.wav}, caller | simulator; null = don't
     */
    public SimMedia(InetAddress bind, int portMin, int portMax, Function<String, short[]> greetings, Path recordDir) throws IOException {
        // 60 s of playout: a whole greeting is queued at answer
        this.engine = new MediaEngine(new MediaConfig(bind, portMin, portMax, 1, 4 << 20, 16_384, 1, 2, 50, 40, 200,
                60_000, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(5)));
        this.recordings = recordDir == null ? null : new RecordingWriter();
        if (recordDir != null) Files.createDirectories(recordDir);
        this.greetings = greetings == null ? n -> null : greetings;
        this.recordDir = recordDir;
    }

    public MediaEngine engine() { return engine; }

    public synchronized List<ReceivedDigit> digits() { return List.copyOf(digits); }

    /** Where a call to {@code called} with this Call-ID is recorded. */
    public Path recording(String called, String callId) {
        return recordDir.resolve(called.replaceAll("[^0-9A-Za-z+]", "_") + "-" + callId.replaceAll("[^0-9A-Za-z.-]", "_") + ".wav");
    }

    /** Answers the offer: opens a session, starts it and the greeting; the caller sends the returned SDP. */
    Answered answer(String callId, String called, String offerSdp, String localIp) throws SdpException {
        RtpSession session = engine.openSession(callId, new RtpSession.Listener() {});
        try {
            SdpOffer.Answer a = SdpOffer.answer(offerSdp, LocalMedia.g711(localIp, session.localRtpPort()));
            NegotiatedMedia m = a.media();
            session.start(m.remoteRtp(), m.codec().payloadType(),
                    codecs.create(m.codec().name(), m.codec().clockRate(), m.codec().channels()), m.telephoneEventPt());
            long t0 = System.nanoTime();
            session.setDtmfListener((digit, ts, durationMs, ended) -> {
                synchronized (SimMedia.this) {
                    digits.add(new ReceivedDigit(callId, digit, durationMs, (System.nanoTime() - t0) / 1_000_000));
                }
            });
            CallRecorder recorder = null;
            if (recordings != null) {
                try {
                    recorder = recordings.start(recording(called, callId), 8000, CallRecorder.Layout.STEREO);
                    session.setRecorder(recorder);
                } catch (IOException e) {
                    log.warn("cannot record call {}: {}", callId, e.getMessage());
                }
            }
            short[] greeting = greetings.apply(called);
            if (greeting != null) session.output().play(greeting);
            return new Answered(a.sdp(), session, recorder);
        } catch (SdpException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** A call's media at the simulator; closed when the call ends. */
    record Answered(String sdp, RtpSession session, CallRecorder recorder) {
        void close() {
            session.close();
            if (recorder != null) {
                try {
                    recorder.close();
                } catch (IOException e) {
                    log.warn("recording {} did not finish: {}", recorder.file(), e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        if (recordings != null) recordings.close();
        engine.close();
    }
}
