package io.trunkline.engine;

import io.trunkline.amd.AmdResult;
import io.trunkline.amd.AmdVerdict;
import io.trunkline.amd.vad.WebRtcVad;
import io.trunkline.audio.Tones;
import io.trunkline.audio.WavReader;
import io.trunkline.audio.WavWriter;
import io.trunkline.engine.media.AmdRequest;
import io.trunkline.engine.media.MediaRequest;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.Greetings;
import io.trunkline.sim.SimConfig;
import io.trunkline.sim.SimMedia;
import io.trunkline.sip.transport.TransportConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AMD on live calls: the simulator answers with recorded greetings from the AMD corpus (a person, a voicemail that
 * ends in a beep) over RTP, and the engine's detector, tapping the callee audio from answer, decides. A voicemail
 * gets its message after the beep, not over the greeting; a person hears the prompt only once the verdict is in.
 */
class EngineAmdTest {
    @TempDir Path dir;

    static Path tone(Path file, double hz, int ms) throws Exception {
        try (WavWriter w = WavWriter.create(file, 8000, 1, WavWriter.Encoding.PCM16)) {
            short[] t = Tones.sine(hz, 8000, 8 * ms, 8000);
            w.writeMono(t, 0, t.length);
        }
        return file;
    }

    /** The first 100 ms window (from {@code fromMs}) where {@code hz} dominates, in ms; -1 if none. */
    static int firstToneMs(short[] pcm, double hz, int fromMs) {
        for (int ms = fromMs; (ms + 100) * 8 <= pcm.length; ms += 20) {
            if (Tones.rms(pcm, ms * 8, 800) > 500 && Tones.purity(pcm, ms * 8, 800, hz, 8000) > 0.6) return ms;
        }
        return -1;
    }

    @Test
    void voicemailGetsTheMessageAfterTheBeepAndAPersonHearsThePromptAfterTheVerdict() throws Exception {
        Path message = tone(dir.resolve("message-600.wav"), 600, 1000);
        Path prompt = tone(dir.resolve("prompt-1000.wav"), 1000, 3000);
        SimMedia simMedia = new SimMedia(EngineMediaTest.LOOPBACK, 31_200, 31_299, Greetings.bundled(), dir.resolve("sim"));
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withHoldMs(-1), TransportConfig.loopback(0, -1).withThreads(1), simMedia);
             Engine engine = Engine.start(EngineMediaTest.config(sim, Duration.ofSeconds(10)))) {
            // ...1 gets amd_dev_005: a voicemail greeting whose beep ends at 6,610 ms
            CompletableFuture<AmdResult> verdict = new CompletableFuture<>();
            Call vm = engine.dial(CallRequest.of("+15550100001", "+15550100001").withMedia(MediaRequest.none()
                    .withAmd(new AmdRequest(null, AmdRequest.Mode.SYNC, AmdRequest.VoicemailAction.LEAVE_MESSAGE, message))),
                    new CallListener() {
                        @Override public void onMachineDetection(Call c, AmdResult r) { verdict.complete(r); }
                    });
            String vmSipCallId = waitForSip(vm);
            CallRecord vmCdr = vm.ended().get(30, TimeUnit.SECONDS);
            assertEquals(AmdVerdict.MACHINE, verdict.get().verdict());
            assertEquals(EndReason.VOICEMAIL, vmCdr.reason(), vmCdr.toString());
            assertNotNull(vmCdr.beep(), "the beep was found: " + vmCdr);
            assertEquals(6610, vmCdr.beep().endMs(), 300, "beep end");
            assertTrue(vmCdr.sipReason().startsWith("message left after the beep"), vmCdr.sipReason());

            // ...0 gets amd_dev_001: "Hello? Yeah, go ahead." (speech ends at 2,130 ms)
            Call person = engine.dial(CallRequest.of("+15550100001", "+15550100000").withMedia(MediaRequest.none()
                    .withPlay(prompt).withAmd(new AmdRequest(null, AmdRequest.Mode.SYNC, AmdRequest.VoicemailAction.HANG_UP, null))));
            String personSipCallId = waitForSip(person);
            person.answered().get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (person.amd == null && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(1500);
            person.hangup();
            CallRecord personCdr = person.ended().get(5, TimeUnit.SECONDS);
            assertEquals(EndReason.COMPLETED, personCdr.reason());
            assertEquals(AmdVerdict.HUMAN, personCdr.amd().verdict(), personCdr.toString());
            int decision = personCdr.amd().decisionMs();
            assertTrue(decision > 2130 && decision < 2130 + 1500, "a person is recognised soon after their greeting: " + decision);

            Thread.sleep(300); // the simulator's recorder closes with its call
            short[] heardAtVoicemail = WavReader.readChannels(simMedia.recording("15550100001", vmSipCallId)).channel(0);
            int messageAt = firstToneMs(heardAtVoicemail, 600, 0);
            assertTrue(messageAt >= vmCdr.beep().endMs() - 100 && messageAt < vmCdr.beep().endMs() + 1000,
                    "the message starts after the beep (" + vmCdr.beep().endMs() + " ms), not over the greeting: " + messageAt);
            short[] heardByPerson = WavReader.readChannels(simMedia.recording("15550100000", personSipCallId)).channel(0);
            int promptAt = firstToneMs(heardByPerson, 1000, 0);
            assertTrue(promptAt >= decision - 100, "sync mode holds the prompt until the verdict (" + decision + " ms): " + promptAt);

            long until = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < until && (WebRtcVad.liveHandles() > 0 || engine.media().ports().inUse() > 0)) Thread.sleep(20);
            assertEquals(0, WebRtcVad.liveHandles(), "every call's VAD handle was freed");
            assertEquals(0, engine.media().ports().inUse());
        }
    }

    @Test
    void hangupModeEndsAMachineCallAsVoicemail() throws Exception {
        SimMedia simMedia = new SimMedia(EngineMediaTest.LOOPBACK, 31_300, 31_399, Greetings.bundled(), null);
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withHoldMs(-1), TransportConfig.loopback(0, -1).withThreads(1), simMedia);
             Engine engine = Engine.start(EngineMediaTest.config(sim, Duration.ofSeconds(10)))) {
            // ...3 gets amd_dev_012, a voicemail greeting
            Call c = engine.dial(CallRequest.of("+15550100001", "+15550100003").withMedia(MediaRequest.none()
                    .withAmd(new AmdRequest(null, AmdRequest.Mode.HANGUP, null, null))));
            CallRecord cdr = c.ended().get(20, TimeUnit.SECONDS);
            assertEquals(EndReason.VOICEMAIL, cdr.reason(), cdr.toString());
            assertEquals(AmdVerdict.MACHINE, cdr.amd().verdict());
            assertTrue(cdr.durationMs() < cdr.amd().decisionMs() + 1000, "hung up at the verdict: " + cdr.durationMs());
        }
    }

    /**
     * A beep after a person's verdict revises it: "Hello? Yeah, go ahead." (amd_dev_001, speech until 2,130 ms)
     * followed 1.6 s later by a 400 ms beep, as a short voicemail greeting that pauses before its beep. The call
     * gets HUMAN (the prompt starts), then MACHINE with cause BEEP_AFTER_VERDICT, and the message after the beep.
     */
    @Test
    void aBeepAfterAHumanVerdictRevisesItAndTheMessageFollowsTheBeep() throws Exception {
        Path message = tone(dir.resolve("message-600.wav"), 600, 1000);
        Path prompt = tone(dir.resolve("prompt-1000.wav"), 1000, 3000);
        short[] hello = Greetings.bundled().clips().get(0).pcm();
        short[] greeting = java.util.Arrays.copyOf(hello, 8 * 9000);
        short[] beep = Tones.sine(1400, 6000, 8 * 400, 8000);
        System.arraycopy(beep, 0, greeting, 8 * 3730, beep.length);
        SimMedia simMedia = new SimMedia(EngineMediaTest.LOOPBACK, 31_500, 31_599, number -> greeting, dir.resolve("sim"));
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withHoldMs(-1), TransportConfig.loopback(0, -1).withThreads(1), simMedia);
             Engine engine = Engine.start(EngineMediaTest.config(sim, Duration.ofSeconds(10)))) {
            List<AmdResult> verdicts = new java.util.concurrent.CopyOnWriteArrayList<>();
            Call c = engine.dial(CallRequest.of("+15550100001", "+15550100009").withMedia(MediaRequest.none().withPlay(prompt)
                    .withAmd(new AmdRequest(null, AmdRequest.Mode.SYNC, AmdRequest.VoicemailAction.LEAVE_MESSAGE, message))),
                    new CallListener() {
                        @Override public void onMachineDetection(Call call, AmdResult r) { verdicts.add(r); }
                    });
            String sipCallId = waitForSip(c);
            CallRecord cdr = c.ended().get(30, TimeUnit.SECONDS);
            assertEquals(2, verdicts.size(), verdicts.toString());
            assertEquals(AmdVerdict.HUMAN, verdicts.get(0).verdict());
            assertEquals(AmdVerdict.MACHINE, verdicts.get(1).verdict());
            assertEquals(io.trunkline.amd.AmdCause.BEEP_AFTER_VERDICT, verdicts.get(1).cause());
            assertEquals(EndReason.VOICEMAIL, cdr.reason(), cdr.toString());
            assertEquals(AmdVerdict.MACHINE, cdr.amd().verdict(), "the record keeps the revised verdict");
            assertNotNull(cdr.beep());
            assertEquals(3730 + 400, cdr.beep().endMs(), 300, "beep end");
            Thread.sleep(300); // the simulator's recorder closes with its call
            short[] heard = WavReader.readChannels(simMedia.recording("15550100009", sipCallId)).channel(0);
            int messageAt = firstToneMs(heard, 600, 0);
            assertTrue(messageAt >= cdr.beep().endMs() - 100, "the message follows the beep (" + cdr.beep().endMs() + " ms): " + messageAt);
            // the 3 s prompt queued at the HUMAN verdict is dropped: the message starts at the beep, not after the prompt
            assertTrue(messageAt <= cdr.beep().endMs() + 1000, "the message right after the beep: " + messageAt);
            assertTrue(Tones.purity(heard, 8 * (messageAt + 200), 800, 600, 8000) > 0.8, "the message alone, not mixed with the prompt");
        }
    }

    /**
     * The {@code amd:} section of the configuration file reaches the detector of every call: a 2 s
     * machine_detection_time there cuts off "Hello? Yeah, go ahead." (amd_dev_001, speech until 2,130 ms, a HUMAN
     * with the built-in defaults, see above) before it ends, so the verdict is NOT_SURE by 2 s; a call that sets
     * its own machine_detection_time overrides the file and gets HUMAN again.
     */
    @Test
    void theAmdSectionOfTheConfigurationSetsTheDefaultsAndACallsOwnSettingsOverrideThem() throws Exception {
        Path yaml = dir.resolve("trunkline.yaml");
        java.nio.file.Files.writeString(yaml, """
                amd: {machine_detection_time: 2000}
                trunks: [{name: sim, address: "sip:127.0.0.1:5080"}]
                """);
        io.trunkline.amd.AmdParameters fromFile = io.trunkline.engine.config.EngineConfigLoader.load(yaml, java.util.Map.of()).amd();
        assertEquals(2000, fromFile.machineDetectionTimeMs());
        SimMedia simMedia = new SimMedia(EngineMediaTest.LOOPBACK, 31_400, 31_499, Greetings.bundled(), null);
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withHoldMs(-1), TransportConfig.loopback(0, -1).withThreads(1), simMedia);
             Engine engine = Engine.start(EngineMediaTest.config(sim, Duration.ofSeconds(10)).withAmd(fromFile))) {
            AmdResult configured = verdictOf(engine, null);
            assertEquals(AmdVerdict.NOT_SURE, configured.verdict(), configured.toString());
            assertTrue(configured.decisionMs() <= 2000, "machine_detection_time from the file bounds the decision: " + configured);
            AmdResult overridden = verdictOf(engine, io.trunkline.amd.AmdParameters.parse(List.of("machine_detection_time=5000")));
            assertEquals(AmdVerdict.HUMAN, overridden.verdict(), overridden.toString());
            assertTrue(overridden.decisionMs() > 2130, overridden.toString());
        }
    }

    /** Calls ...0 (amd_dev_001, a person) and returns the verdict, then hangs up. */
    private static AmdResult verdictOf(Engine engine, io.trunkline.amd.AmdParameters parameters) throws Exception {
        Call c = engine.dial(CallRequest.of("+15550100001", "+15550100000").withMedia(MediaRequest.none()
                .withAmd(new AmdRequest(parameters, AmdRequest.Mode.ASYNC, AmdRequest.VoicemailAction.CONTINUE, null))));
        c.answered().get(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (c.amd == null && System.nanoTime() < deadline) Thread.sleep(20);
        c.hangup();
        c.ended().get(5, TimeUnit.SECONDS);
        assertNotNull(c.amd, "a verdict within 10 s");
        return c.amd;
    }

    private static String waitForSip(Call c) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (c.sip == null && System.nanoTime() < deadline) Thread.sleep(5);
        return c.sip.callId();
    }
}
