package io.trunkline.cli;

import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transport.TransportConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `./trunkline dial` against real peers from Debian: baresip as an auto-answering UAS, and kamailio as an
 * authenticating proxy in front of the carrier simulator. Tagged "peer": scripts/test.sh (CI) installs and runs them.
 */
@Tag("peer")
class PeerInteropTest {
    @TempDir
    Path dir;

    private PeerProcess startBaresip(double playSeconds) throws Exception {
        return startBaresip(playSeconds, false);
    }

    /** baresip answering with the shared runbook's configuration; {@code opus} adds Opus first in its codec list. */
    private PeerProcess startBaresip(double playSeconds, boolean opus) throws Exception {
        Path b = dir.resolve("baresip");
        PeerProcess.copyResource("baresip", b, "config", "accounts", "contacts");
        if (opus) {
            java.nio.file.Files.writeString(b.resolve("config"), "module\t\t\topus.so\n", java.nio.file.StandardOpenOption.APPEND);
            java.nio.file.Files.writeString(b.resolve("accounts"), java.nio.file.Files.readString(b.resolve("accounts"))
                    .replace("audio_codecs=PCMU,PCMA", "audio_codecs=opus/48000/2,PCMU,PCMA"));
        }
        java.nio.file.Files.createDirectories(b.resolve("rec"));
        // baresip's aufile insists on the codec's rate and channels: 48 kHz stereo for Opus
        Process sox = new ProcessBuilder("sox", "-n", "-r", opus ? "48000" : "8000", "-c", opus ? "2" : "1", "-b", "16", "-e", "signed-integer",
                b.resolve("play.wav").toString(), "synth", String.valueOf(playSeconds), "sine", "1000", "vol", "0.5").inheritIO().start();
        assertEquals(0, sox.waitFor(), "sox made play.wav");
        PeerProcess p = PeerProcess.start(b, dir.resolve("baresip.log"), List.of("timeout", "120", "baresip", "-f", "."));
        p.awaitSip(5090, 10_000);
        return p;
    }

    @Test
    void dialBaresipWeHangUp() throws Exception {
        try (PeerProcess baresip = startBaresip(30)) {
            CliRun run = CliRun.of("dial", "--trunk", "sip:127.0.0.1:5090", "--from", "15550001111", "--to", "uas",
                    "--hangup-after", "1", "--json");
            assertEquals(0, run.exitCode(), run.out() + run.err() + baresip.logText());
            assertTrue(run.out().contains("\"event\":\"answered\""), run.out());
            assertTrue(run.out().contains("\"outcome\":\"completed\"") && run.out().contains("\"by\":\"local\""), run.out());
        }
    }

    @Test
    void dialBaresipCalleeHangsUp() throws Exception {
        try (PeerProcess baresip = startBaresip(30)) {
            Thread hangup = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    try (Socket s = new Socket("127.0.0.1", 4444)) {
                        byte[] json = "{\"command\":\"hangup\",\"params\":\"\",\"token\":\"t1\"}".getBytes(StandardCharsets.US_ASCII);
                        OutputStream o = s.getOutputStream();
                        o.write((json.length + ":").getBytes(StandardCharsets.US_ASCII));
                        o.write(json);
                        o.write(',');
                        o.flush();
                        s.getInputStream().read(new byte[256]);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            hangup.start();
            CliRun run = CliRun.of("dial", "--trunk", "sip:127.0.0.1:5090", "--from", "15550001111", "--to", "uas",
                    "--hangup-after", "20", "--json");
            hangup.join();
            assertEquals(0, run.exitCode(), run.out() + run.err() + baresip.logText());
            assertTrue(run.out().contains("\"by\":\"remote\""), "baresip sent the BYE: " + run.out());
        }
    }

    @Test
    void kamailioChallengesThenRelaysToSimulator() throws Exception {
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll(), TransportConfig.loopback(5080, -1).withThreads(1))) {
            Path k = dir.resolve("kamailio");
            PeerProcess.copyResource("kamailio", k, "kamailio.cfg");
            try (PeerProcess kamailio = PeerProcess.start(k, dir.resolve("kamailio.log"),
                    List.of("timeout", "120", "kamailio", "-f", "kamailio.cfg", "-DD", "-E", "-m", "256", "-Y", dir.resolve("kam-run").toString()))) {
                java.nio.file.Files.createDirectories(dir.resolve("kam-run"));
                kamailio.awaitSip(5070, 10_000);
                CliRun noAuth = CliRun.of("dial", "--trunk", "sip:127.0.0.1:5070", "--from", "15550001111", "--to", "15550002222", "--json");
                assertEquals(1, noAuth.exitCode(), noAuth.out());
                assertTrue(noAuth.out().contains("\"sip_code\":407"), "without credentials the proxy's 407 ends the call: " + noAuth.out());
                assertEquals(0, sim.stats().invites(), "nothing reached the simulator unauthenticated");

                CliRun run = CliRun.of("dial", "--trunk", "sip:127.0.0.1:5070", "--from", "15550001111", "--to", "15550002222",
                        "--user", "user", "--password", "pass", "--hangup-after", "1", "--json");
                assertEquals(0, run.exitCode(), run.out() + run.err() + kamailio.logText());
                assertEquals(1, sim.stats().invites(), "the authenticated INVITE was relayed");
                assertEquals(1, sim.stats().byesReceived(), "our BYE followed the record-route through kamailio");
                assertTrue(!run.out().contains("pass\"") && !run.err().contains("pass"), "the password is not printed");
            }
        }
    }

    /**
     * Two-way audio with baresip: it plays a 1 kHz tone and records what it hears; we play 440 Hz and record what
     * we hear. Each side's recording holds the other's tone, at its frequency, in G.711 μ-law and in Opus. Then the
     * digits we send arrive at baresip as RFC 4733 events, in order.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"pcmu", "opus"})
    void twoWayAudioWithBaresip(String codec) throws Exception {
        Path prompt = dir.resolve("prompt-440.wav");
        try (io.trunkline.audio.WavWriter w = io.trunkline.audio.WavWriter.create(prompt, 8000, 1, io.trunkline.audio.WavWriter.Encoding.PCM16)) {
            short[] tone = io.trunkline.audio.Tones.sine(440, 8000, 8000 * 6, 8000);
            w.writeMono(tone, 0, tone.length);
        }
        Path ours = dir.resolve("ours-" + codec + ".wav");
        try (PeerProcess baresip = startBaresip(30, codec.equals("opus"))) {
            CliRun run = CliRun.of("dial", "--trunk", "sip:127.0.0.1:5090", "--from", "15550001111", "--to", "uas",
                    "--codecs", codec.equals("opus") ? "opus,pcmu" : "pcmu", "--play", prompt.toString(), "--record", ours.toString(),
                    "--send-digits", "19#", "--hangup-after", "3", "--json");
            assertEquals(0, run.exitCode(), run.out() + run.err() + baresip.logText());
            // what we heard: baresip's 1 kHz, in the left (callee) channel, over the middle second
            io.trunkline.audio.WavReader.Channels heard = io.trunkline.audio.WavReader.readChannels(ours);
            assertEquals(1000, io.trunkline.audio.Tones.peakHz(heard.channel(0), 8000, 8000, 8000), 15, "baresip's tone reached us over " + codec);
            assertTrue(io.trunkline.audio.Tones.purity(heard.channel(0), 8000, 8000, 1000, 8000) > 0.5, "clean");
            // what baresip heard: its decoder dump holds our 440 Hz
            Path dec;
            try (var files = java.nio.file.Files.list(dir.resolve("baresip").resolve("rec"))) {
                dec = files.filter(f -> f.getFileName().toString().endsWith("-dec.wav")).findFirst().orElseThrow();
            }
            io.trunkline.audio.WavReader.Channels theirs = io.trunkline.audio.WavReader.readChannels(dec);
            int rate = theirs.sampleRate();
            assertEquals(440, io.trunkline.audio.Tones.peakHz(theirs.channel(0), rate, rate, rate), 15, "our tone reached baresip over " + codec);
            if (codec.equals("opus")) assertTrue(baresip.logText().toLowerCase().contains("opus"), "the call really used Opus: " + baresip.logText());
            String log = baresip.logText();
            int one = log.indexOf("received event: '1' (end=1)"), nine = log.indexOf("received event: '9' (end=1)"),
                    hash = log.indexOf("received event: '#' (end=1)");
            assertTrue(one >= 0 && nine > one && hash > nine, "baresip received the RFC 4733 digits 1, 9, # in order: " + log);
        }
    }
}
