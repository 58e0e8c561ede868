package io.trunkline.media.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.media.MediaConfig;
import io.trunkline.media.MediaEngine;
import io.trunkline.media.assistant.AssistantSession;
import io.trunkline.media.codec.G711Codec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An assistant attached to a live session on loopback: it hears the far end's tone, speaks into the playout queue,
 * gets its marks in order, and ends cleanly; its callbacks never overlap.
 */
class AssistantAttachTest {

    private static final class RecordingAssistant implements AssistantSession {
        final Audio.Collector audio = new Audio.Collector();
        final List<String> events = new ArrayList<>();
        final AtomicBoolean inCallback = new AtomicBoolean();
        final AtomicInteger overlaps = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);

        private void enter() { if (!inCallback.compareAndSet(false, true)) overlaps.incrementAndGet(); }

        private void leave() { inCallback.set(false); }

        @Override public void onAudio(short[] pcm, int samples, long frameIndex) {
            enter();
            audio.onFrame(pcm, samples, frameIndex);
            leave();
        }

        @Override public void onDtmf(char digit, int durationMs) { enter(); record("dtmf " + digit + " " + durationMs); leave(); }

        @Override public void onMarkPlayed(String name) { enter(); record("mark " + name); leave(); }

        @Override public void onEnd(String reason) { enter(); record("end " + reason); leave(); }

        @Override public void close() { record("close"); closed.countDown(); }

        synchronized void record(String e) { events.add(e); }

        synchronized List<String> events() { return new ArrayList<>(events); }
    }

    @Test
    void assistantHearsSpeaksGetsMarksAndEnds() throws Exception {
        try (MediaEngine e = new MediaEngine(MediaConfig.defaults(InetAddress.getLoopbackAddress(), 47_200, 47_299))) {
            RtpSession callee = e.openSession("callee", null);
            Audio.Collector heardByCallee = new Audio.Collector();
            callee.addConsumer("ear", heardByCallee);
            CompletableFuture<String> hangup = new CompletableFuture<>();
            RecordingAssistant assistant = new RecordingAssistant();
            RtpSession.Listener listener = new RtpSession.Listener() {
                @Override public void onHangupRequested(RtpSession s, String reason) { hangup.complete(reason); }
            };
            RtpSession live = e.openSession("call", listener);
            live.attach(assistant);
            callee.start(live.localRtpAddress(), 0, G711Codec.PCMU, -1);
            live.start(callee.localRtpAddress(), 0, G711Codec.PCMU, 101);
            callee.output().play(Audio.tone(1_000, 800, 8_000));

            // The assistant speaks 400 ms, marks, 200 ms more, marks.
            assertTrue(live.output().write(Audio.tone(500, 400, 8_000), 0, 3_200));
            live.output().mark("greeting");
            assertTrue(live.output().write(Audio.tone(500, 200, 8_000), 0, 1_600));
            live.output().mark("question");
            live.reportDtmf('7', 120);
            long t0 = System.nanoTime();
            long end = System.currentTimeMillis() + 3_000;
            while (!assistant.events().contains("mark question") && System.currentTimeMillis() < end) Thread.sleep(5);
            long markMs = (System.nanoTime() - t0) / 1_000_000;
            // 600 ms of audio ahead of the mark; a clock catching up after a stall on a loaded machine plays a few
            // frames back to back, so allow some slack below.
            assertTrue(markMs >= 450 && markMs < 1_500, "question mark after 600 ms of audio: " + markMs + " ms");
            List<String> ev = assistant.events();
            assertEquals(List.of("dtmf 7 120", "mark greeting", "mark question"), ev);

            Thread.sleep(600);
            assertEquals(1_000, Audio.dominant(assistant.audio.loud()), 25, "assistant hears the callee");
            assertEquals(500, Audio.dominant(heardByCallee.loud()), 25, "callee hears the assistant");

            live.output().hangup("goodbye said");
            assertEquals("goodbye said", hangup.get(1, TimeUnit.SECONDS));
            live.close("assistant hung up");
            assertTrue(assistant.closed.await(2, TimeUnit.SECONDS));
            List<String> last = assistant.events();
            assertEquals(List.of("end assistant hung up", "close"), last.subList(last.size() - 2, last.size()));
            assertEquals(0, assistant.overlaps.get(), "callbacks never overlap");
            callee.close();
            assertEquals(0, e.openSessions());
            assertEquals(0, e.ports().inUse());
        }
    }
}
