package io.trunkline.engine.media;

import io.trunkline.amd.AmdListener;
import io.trunkline.amd.AmdResult;
import io.trunkline.amd.AmdVerdict;
import io.trunkline.amd.AnsweringMachineDetector;
import io.trunkline.amd.beep.Beep;
import io.trunkline.media.pipeline.ConsumerTap;
import io.trunkline.media.MediaEngine;
import io.trunkline.media.assistant.AssistantCall;
import io.trunkline.media.codec.AudioCodec;
import io.trunkline.media.codec.CodecRegistry;
import io.trunkline.media.net.RtpSession;
import io.trunkline.media.pipeline.PlayoutQueue;
import io.trunkline.media.record.CallRecorder;
import io.trunkline.media.record.RecordingWriter;
import io.trunkline.sip.sdp.LocalMedia;
import io.trunkline.sip.sdp.MediaDirection;
import io.trunkline.sip.sdp.NegotiatedMedia;
import io.trunkline.sip.sdp.SdpException;
import io.trunkline.sip.sdp.SdpOffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call's media, between SIP and the media engine: the RTP session and its port, our SDP offer and the
 * negotiation of the answer (from a 183 for early media, or the 2xx), and what the call does with audio: a prompt
 * played to the callee, a recording, RFC 4733 digits out and in, and the assistant. Engine-owned; every method is
 * called from the engine's call events, and {@link #close} releases the port, the recording and the assistant.
 */
public final class CallMedia implements RtpSession.Listener {
    private static final Logger log = LoggerFactory.getLogger(CallMedia.class);

    /** What the media tells the call. Called from media threads: the engine must hand work off quickly. */
    public interface Events {
        /** End the call: the assistant asked, or a fallback message has played. */
        void hangup(String reason);

        /** The media died (no RTP for the inactivity timeout, an unusable SDP answer): end the call as failed. */
        void failed(String reason);

        /** The callee pressed a key (RFC 4733), reported once when the tone ends. */
        default void dtmf(char digit, int durationMs) {}

        /** The answering-machine detector's verdict (the call's machine_detection event). */
        default void machineDetection(AmdResult result) {}

        /** After a MACHINE verdict: the greeting's end beep, or null when none came within the beep wait. */
        default void beep(Beep beep, int atMs) {}

        /** A machine answered and the voicemail action ends the call: as voicemail, maybe to be retried later. */
        default void voicemail(String reason, boolean retryLater) {}
    }

    private final String callId;
    private final String from;
    private final String to;
    private final MediaRequest request;
    private final Events events;
    private final ScheduledExecutorService timers;
    private final RecordingWriter recordings;
    private final CodecRegistry codecs;
    private final RtpSession session;
    private final SdpOffer offer;
    private NegotiatedMedia negotiated;
    private boolean answered;
    private boolean digitsSent;
    private CallRecorder recorder;
    private final Prompts prompts;
    private ScheduledFuture<?> feeder;
    private boolean closed;
    private AnsweringMachineDetector detector;
    private ConsumerTap amdTap;
    private boolean conversationStarted;
    private boolean machine;

    public CallMedia(MediaEngine media, CodecRegistry codecs, Prompts prompts, RecordingWriter recordings,
                     ScheduledExecutorService timers, String callId, String from, String to, String localAddress,
                     MediaRequest request, Events events) {
        this.prompts = prompts;
        this.callId = callId;
        this.from = from;
        this.to = to;
        this.request = request == null ? MediaRequest.none() : request;
        this.events = events;
        this.timers = timers;
        this.recordings = recordings;
        this.codecs = codecs;
        this.session = media.openSession(callId, this);
        this.offer = SdpOffer.create(new LocalMedia(localAddress, session.localRtpPort(),
                this.request.codecs(), true, 20, MediaDirection.SENDRECV));
    }

    public String offerSdp() { return offer.sdp(); }

    /** The call's media figures so far (for its CDR), or null when media never started. */
    public synchronized MediaQuality quality() {
        return negotiated == null ? null : MediaQuality.of(negotiated.codec().name(), session);
    }

    /** A 183 with SDP: media starts before answer, so ringback or announcements are heard and digits may go. */
    public synchronized void earlyMedia(String answerSdp) {
        if (closed || negotiated != null) return;
        try {
            start(offer.accept(answerSdp));
            if (request.sendDigits() != null && request.sendOnPreanswer()) sendDigits();
        } catch (SdpException e) {
            log.info("call {}: early media not usable: {}", callId, e.getMessage()); // the 2xx may still bring a good answer
        }
    }

    /** The 2xx: media starts (if early media did not already) and the call's audio work begins. */
    public synchronized void answered(String answerSdp) {
        if (closed || answered) return;
        answered = true;
        try {
            NegotiatedMedia m = answerSdp == null || answerSdp.isBlank() ? null : offer.accept(answerSdp);
            if (negotiated == null) {
                if (m == null) {
                    events.failed("the 200 OK carried no SDP answer");
                    return;
                }
                start(m);
            }
        } catch (SdpException e) {
            events.failed("SDP answer unusable (" + e.sipStatus() + "): " + e.getMessage());
            return;
        }
        try {
            if (request.record() != null) {
                recorder = recordings.start(request.record(), 8000, request.recordLayout());
                session.setRecorder(recorder);
            }
        } catch (IOException e) {
            log.warn("call {}: cannot record to {}: {}", callId, request.record(), e.getMessage());
        }
        if (request.sendDigits() != null && !digitsSent) sendDigits();
        AmdRequest amd = request.amd();
        if (amd != null) startAmd(amd);
        // sync and hangup modes hold the prompt and the assistant until the verdict says a person answered
        if (amd == null || amd.mode() == AmdRequest.Mode.ASYNC) startConversation();
    }

    /** The prompt and the assistant: what a person who answered hears. */
    private void startConversation() {
        if (closed || conversationStarted) return;
        conversationStarted = true;
        if (request.play() != null) play(request.play(), null);
        if (request.assistant() != null) {
            session.attach(request.assistant().open(new AssistantCall(callId, from, to, request.parameters()), session.output()));
        }
    }

    /**
     * AMD taps the callee's audio from answer (early media is never taken for the greeting). The detector and its
     * native VAD handle live on the tap's serial drain: frames, verdict and close never overlap.
     */
    private void startAmd(AmdRequest amd) {
        detector = new AnsweringMachineDetector(amd.parameters(), new AmdListener() {
            @Override
            public void onVerdict(AmdResult result) { onAmdVerdict(amd, result); }

            @Override
            public void onBeep(Beep beep, int atMs) { onAmdBeep(amd, beep, atMs); }
        });
        AnsweringMachineDetector d = detector;
        amdTap = session.addConsumer("amd", (pcm, samples, index) -> {
            if (!d.isFinished()) d.offer(pcm, 0);
        });
    }

    private synchronized void onAmdVerdict(AmdRequest amd, AmdResult result) {
        events.machineDetection(result);
        machine = result.verdict() == AmdVerdict.MACHINE || result.verdict() == AmdVerdict.SILENCE;
        if (!machine || amd.action() == AmdRequest.VoicemailAction.CONTINUE) {
            startConversation();
            return;
        }
        String why = "machine detected (" + result.verdict().name().toLowerCase() + ", " + result.cause().name().toLowerCase()
                + " at " + result.decisionMs() + " ms)";
        switch (amd.action()) {
            case HANG_UP -> events.voicemail(why, false);
            case RETRY_LATER -> events.voicemail(why + "; retry later", true);
            case LEAVE_MESSAGE -> {
                // a MACHINE verdict is followed by onBeep (a beep, or none within beep_wait); silence never beeps
                if (result.verdict() == AmdVerdict.SILENCE) leaveMessage(amd, why + "; no greeting");
            }
            default -> { }
        }
    }

    private synchronized void onAmdBeep(AmdRequest amd, Beep beep, int atMs) {
        events.beep(beep, atMs);
        if (machine && amd.action() == AmdRequest.VoicemailAction.LEAVE_MESSAGE) {
            leaveMessage(amd, beep == null ? "no beep within beep_wait; message left at " + atMs + " ms"
                    : "message left after the beep (" + beep.frequencyHz() + " Hz, ended " + beep.endMs() + " ms)");
        }
    }

    private void leaveMessage(AmdRequest amd, String why) {
        if (closed) return;
        if (feeder != null) {
            // a verdict revised by a beep after the prompt started: the machine records the message, not the prompt
            feeder.cancel(false);
            session.output().clear();
        }
        play(amd.message(), () -> events.voicemail(why, false));
    }

    private void start(NegotiatedMedia m) throws SdpException {
        InetSocketAddress remote = m.remoteRtp();
        AudioCodec codec = codecs.create(m.codec().name(), m.codec().clockRate(), m.codec().channels());
        session.start(remote, m.codec().payloadType(), codec, m.telephoneEventPt());
        session.setDtmfListener((digit, ts, durationMs, ended) -> {
            session.reportDtmf(digit, durationMs);
            events.dtmf(digit, durationMs);
        });
        negotiated = m;
    }

    private void sendDigits() {
        digitsSent = true;
        if (negotiated.telephoneEventPt() < 0) {
            log.info("call {}: the callee did not accept telephone-event; digits not sent", callId);
            return;
        }
        try {
            session.sendDigits(request.sendDigits());
        } catch (IllegalArgumentException e) {
            // a tone longer than the negotiated clock's duration field holds (over 1365 ms on an Opus call)
            log.warn("call {}: digits not sent: {}", callId, e.getMessage());
        }
    }

    /**
     * Plays a WAV into the playout queue, a few seconds ahead at a time (the queue is bounded), then runs
     * {@code after}. The clip is decoded once for all calls ({@link Prompts}); feeding happens on the engine's timer
     * thread, never on a media thread.
     */
    private void play(java.nio.file.Path file, Runnable after) {
        short[] clip;
        try {
            clip = prompts.get(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        PlayoutQueue out = session.output();
        int chunk = 8000; // 1 s
        int[] pos = {0};
        feeder = timers.scheduleWithFixedDelay(() -> {
            synchronized (this) {
                if (closed) return;
                while (pos[0] < clip.length && out.capacitySamples() - out.queuedSamples() >= chunk) {
                    int n = Math.min(chunk, clip.length - pos[0]);
                    out.write(clip, pos[0], n);
                    pos[0] += n;
                }
                if (pos[0] >= clip.length) {
                    feeder.cancel(false);
                    if (after != null) timers.schedule(after, out.queuedSamples() / 8 + 100, TimeUnit.MILLISECONDS);
                }
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    // ---- RtpSession.Listener ----

    @Override
    public void onInactive(RtpSession s, String reason) { events.failed(reason); }

    @Override
    public void onHangupRequested(RtpSession s, String reason) { events.hangup("assistant: " + reason); }

    @Override
    public void onAssistantDisconnected(RtpSession s, String reason) {
        String why = "assistant disconnected: " + reason;
        if (request.fallbackMessage() == null) {
            events.hangup(why);
            return;
        }
        synchronized (this) {
            if (closed) return;
            if (feeder != null) feeder.cancel(false);
            session.output().clear();
            play(request.fallbackMessage(), () -> events.hangup(why + "; fallback message played"));
        }
    }

    /** Releases everything: the port pair (with an RTCP BYE), the recording (header fixed), the assistant. */
    public synchronized void close(String reason) {
        if (closed) return;
        closed = true;
        if (feeder != null) feeder.cancel(false);
        if (detector != null) {
            AnsweringMachineDetector d = detector;
            amdTap.close();
            amdTap.post(d::close); // frees the native VAD handle on the thread that used it; no verdict after the end
        }
        session.close(reason);
        if (recorder != null) {
            try {
                recorder.close();
            } catch (IOException e) {
                log.warn("call {}: recording {} did not finish: {}", callId, recorder.file(), e.getMessage());
            }
        }
    }
}
