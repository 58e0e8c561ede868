package io.trunkline.engine;

import io.trunkline.audio.Tones;
import io.trunkline.audio.WavReader;
import io.trunkline.audio.WavWriter;
import io.trunkline.engine.media.MediaRequest;
import io.trunkline.media.MediaConfig;
import io.trunkline.media.record.CallRecorder;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sim.SimMedia;
import io.trunkline.sip.transport.TransportConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls with audio between the engine and the simulator over loopback RTP: a tone each way arrives at the right
 * frequency in each side's recording, digits arrive in order with their spacing, and every session and port is
 * released when the call ends. A call whose far end sends no RTP is ended for dead air.
 */
class EngineMediaTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir Path dir;

    static EngineConfig config(CarrierSimulator sim, Duration inactivity) {
        return new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1),
                List.of(TrunkConfig.of("sim", EngineTest.target(sim), 10, 10)), 0, 0, 10, 1, EngineTest.TIMERS)
                .withMedia(MediaConfig.defaults(LOOPBACK, 30_000, 30_099).withInactivityTimeout(inactivity));
    }

    @Test
    void audioFlowsBothWaysDigitsArriveAndEverythingIsReleased() throws Exception {
        Path prompt = dir.resolve("prompt-1000hz.wav");
        try (WavWriter w = WavWriter.create(prompt, 8000, 1, WavWriter.Encoding.PCM16)) {
            short[] tone = Tones.sine(1000, 8000, 8000 * 3, 8000);
            w.writeMono(tone, 0, tone.length);
        }
        short[] greeting = Tones.sine(440, 8000, 8000 * 3, 8000);
        SimMedia simMedia = new SimMedia(LOOPBACK, 31_000, 31_099, n -> greeting, dir.resolve("sim"));
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll(), TransportConfig.loopback(0, -1).withThreads(1), simMedia);
             Engine engine = Engine.start(config(sim, Duration.ofSeconds(10)))) {
            Path recording = dir.resolve("engine.wav");
            Call call = engine.dial(CallRequest.of("+15550100001", "+15550109001").withMedia(MediaRequest.none()
                    .withPlay(prompt).withRecord(recording, CallRecorder.Layout.STEREO).withSendDigits("1w23", false)));
            call.answered().get(5, TimeUnit.SECONDS);
            Thread.sleep(2500);
            call.hangup();
            CallRecord cdr = call.ended().get(5, TimeUnit.SECONDS);
            assertEquals(EndReason.COMPLETED, cdr.reason(), cdr.toString());
            // the CDR's media figures: ~2.5 s of 20 ms packets each way over loopback, nothing lost
            assertEquals("PCMU", cdr.media().codec());
            assertTrue(cdr.media().rtpSent() > 100 && cdr.media().rtpReceived() > 100, cdr.media().toString());
            assertEquals(0, cdr.media().lost(), cdr.media().toString());
            assertTrue(cdr.media().jitterMs() < 20, cdr.media().toString());

            // what we recorded: the callee (the simulator's 440 Hz greeting) left, what we sent (the 1 kHz prompt) right
            WavReader.Channels ours = WavReader.readChannels(recording);
            assertEquals(2, ours.channelCount());
            short[] callee = ours.channel(0), sent = ours.channel(1);
            int from = 8000, len = 8000; // the second second: past jitter-buffer fill and digit tones
            assertEquals(440, Tones.peakHz(callee, from, len, 8000), 10, "the greeting arrived");
            assertTrue(Tones.purity(callee, from, len, 440, 8000) > 0.8, "and clean");
            assertEquals(1000, Tones.peakHz(sent, from, len, 8000), 10);

            // what the simulator recorded: our prompt arrived at 1 kHz
            String simCallId = simMedia.digits().isEmpty() ? null : simMedia.digits().get(0).callId();
            assertEquals(List.of('1', '2', '3'), simMedia.digits().stream().map(SimMedia.ReceivedDigit::digit).toList(), "digits in order");
            WavReader.Channels theirs = WavReader.readChannels(simMedia.recording("15550109001", simCallId));
            assertEquals(1000, Tones.peakHz(theirs.channel(0), 8000, 8000, 8000), 10, "our prompt arrived at the far end");

            // 100 ms tones 100 ms apart, and 'w' adds half a second between 1 and 2
            List<SimMedia.ReceivedDigit> d = simMedia.digits();
            long gap12 = d.get(1).atMs() - d.get(0).atMs(), gap23 = d.get(2).atMs() - d.get(1).atMs();
            assertEquals(700, gap12, 60, "1 then w then 2: tone 100 + gap 100 + wait 500");
            assertEquals(200, gap23, 60, "tone 100 + gap 100");
            for (SimMedia.ReceivedDigit x : d) assertEquals(100, x.durationMs(), 20, "tone length");

            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline && engine.media().openSessions() + simMedia.engine().openSessions() > 0) Thread.sleep(20);
            assertEquals(0, engine.media().openSessions(), "engine sessions released");
            assertEquals(0, engine.media().ports().inUse(), "engine ports released");
            assertEquals(0, simMedia.engine().ports().inUse(), "simulator ports released");
        }
    }

    @Test
    void anEndedCallIsLetGoOnceItsTransactionsHaveEnded() throws Exception {
        // a time limit of hours used to keep every ended call (media buffers, dialog, listener) in the timer wheel
        // until it fired: a campaign of thousands of calls ran a node out of heap
        short[] greeting = Tones.sine(440, 8000, 8000, 8000);
        SimMedia simMedia = new SimMedia(LOOPBACK, 31_100, 31_199, n -> greeting, dir.resolve("sim"));
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withHoldMs(300), TransportConfig.loopback(0, -1).withThreads(1), simMedia);
             Engine engine = Engine.start(config(sim, Duration.ofSeconds(10)))) {
            java.lang.ref.WeakReference<Call> held;
            {
                Call call = engine.dial(CallRequest.of("+15550100001", "+15550109002").withMedia(MediaRequest.none()));
                assertEquals(EndReason.COMPLETED, call.ended().get(10, TimeUnit.SECONDS).reason(), "the far end hung up after 300 ms");
                assertEquals(CallRequest.DEFAULT_TIME_LIMIT, call.request().timeLimitSeconds());
                held = new java.lang.ref.WeakReference<>(call);
            }
            // the INVITE transaction lingers 64*T1 (6.4 s with these timers) after the 2xx, then nothing holds the call
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (held.get() != null && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(200);
            }
            assertEquals(null, held.get(), "the ended call is still referenced (a timer of the call not cancelled?)");
            assertEquals(0, engine.live());
        }
    }

    @Test
    void aFarEndThatSendsNoRtpIsEndedForDeadAir() throws Exception {
        // a signalling-only simulator: its SDP names a port nobody sends from
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll(), TransportConfig.loopback(0, -1).withThreads(1), EngineTest.TIMERS);
             Engine engine = Engine.start(config(sim, Duration.ofMillis(1500)))) {
            Call call = engine.dial(CallRequest.of("+15550100001", "+15550109002"));
            call.answered().get(5, TimeUnit.SECONDS);
            CallRecord cdr = call.ended().get(10, TimeUnit.SECONDS);
            assertEquals(EndReason.FAILED, cdr.reason());
            assertTrue(cdr.sipReason().startsWith("media inactivity"), cdr.sipReason());
            assertEquals("local", cdr.endedBy());
            assertTrue(cdr.durationMs() >= 1400 && cdr.durationMs() < 3000, "ended at the timeout: " + cdr.durationMs());
            assertEquals(0, engine.media().ports().inUse());
        }
    }

    /**
     * An assistant that cannot be reached never leaves the callee in dead air: the fallback message plays and the
     * call ends, with the reason in the CDR.
     */
    @Test
    void unreachableAssistantPlaysTheFallbackThenHangsUp() throws Exception {
        Path fallback = dir.resolve("sorry-500hz.wav");
        try (WavWriter w = WavWriter.create(fallback, 8000, 1, WavWriter.Encoding.PCM16)) {
            short[] tone = Tones.sine(500, 8000, 8000, 8000);
            w.writeMono(tone, 0, tone.length);
        }
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, LOOPBACK)) {
            closedPort = s.getLocalPort();
        }
        SimMedia simMedia = new SimMedia(LOOPBACK, 31_100, 31_199, null, dir.resolve("sim"));
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll(), TransportConfig.loopback(0, -1).withThreads(1), simMedia);
             Engine engine = Engine.start(config(sim, Duration.ofSeconds(10)));
             io.trunkline.media.bridge.MediaStreamsBridge bridge = new io.trunkline.media.bridge.MediaStreamsBridge(
                     io.trunkline.media.bridge.MediaStreamsConfig.builder("ws://127.0.0.1:" + closedPort + "/agent?token=s3cret").build())) {
            Call call = engine.dial(CallRequest.of("+15550100001", "+15550109003")
                    .withMedia(MediaRequest.none().withAssistant(bridge, java.util.Map.of(), fallback)));
            CallRecord cdr = call.ended().get(15, TimeUnit.SECONDS);
            assertEquals(EndReason.COMPLETED, cdr.reason(), cdr.toString());
            assertTrue(cdr.sipReason().startsWith("assistant disconnected") && cdr.sipReason().endsWith("fallback message played"), cdr.sipReason());
            assertTrue(!cdr.sipReason().contains("s3cret"), "no token in the reason: " + cdr.sipReason());
            assertTrue(cdr.durationMs() >= 1000 && cdr.durationMs() < 4000, "the one-second message played, then the call ended: " + cdr.durationMs());
            Thread.sleep(300);
            String simCallId = call.sip.callId();
            short[] heard = WavReader.readChannels(simMedia.recording("15550109003", simCallId)).channel(0);
            int loud = 0;
            for (int i = 0; i + 800 <= heard.length; i += 800) if (Tones.purity(heard, i, 800, 500, 8000) > 0.6) loud++;
            assertTrue(loud >= 8, "the callee heard the fallback message (" + loud + " of " + heard.length / 800 + " 100 ms windows at 500 Hz)");
        }
    }
}
