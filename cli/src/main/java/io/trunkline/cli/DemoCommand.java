package io.trunkline.cli;

import io.trunkline.amd.AmdResult;
import io.trunkline.audio.Tones;
import io.trunkline.audio.WavWriter;
import io.trunkline.engine.Call;
import io.trunkline.engine.CallListener;
import io.trunkline.engine.CallRecord;
import io.trunkline.engine.CallRequest;
import io.trunkline.engine.CallState;
import io.trunkline.engine.Engine;
import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.StirSigning;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.engine.media.AmdRequest;
import io.trunkline.engine.media.MediaRequest;
import io.trunkline.media.MediaConfig;
import io.trunkline.media.assistant.DemoAssistant;
import io.trunkline.sim.Behavior;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.Greetings;
import io.trunkline.sim.SimConfig;
import io.trunkline.sim.SimMedia;
import io.trunkline.sip.stir.Attestation;
import io.trunkline.sip.stir.CertificateSource;
import io.trunkline.sip.stir.StirIdentityProvider;
import io.trunkline.sip.stir.StirSigner;
import io.trunkline.sip.stir.StirVerifier;
import io.trunkline.sip.stir.ThrowawayCredentials;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The main job on embedded defaults: starts the carrier simulator on loopback, whose callees answer with recorded
 * greetings (people and voicemails from the AMD corpus), and dials a small batch through the Engine: each call
 * signed with STIR/SHAKEN (verified by the simulator), with audio both ways, answering-machine detection, the demo
 * assistant for the people and a message after the beep for the machines. Shows live progress and a table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Dial a batch of calls against the built-in carrier simulator.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--hangup-after", defaultValue = "4", description = "seconds after the AMD verdict we end calls a person answered (1..60, default ${DEFAULT-VALUE})")
    double hangupAfter;

    /** Numbers and what the simulator does; answered ones get greeting (last digit mod 4): 0, 2 people; 1, 3 voicemails. */
    private static final Map<String, Behavior> NUMBERS = new LinkedHashMap<>();

    static {
        NUMBERS.put("+15550100000", Behavior.ANSWER);
        NUMBERS.put("+15550100001", Behavior.ANSWER);
        NUMBERS.put("+15550100002", Behavior.BUSY);
        NUMBERS.put("+15550100006", Behavior.ANSWER);
        NUMBERS.put("+15550100004", Behavior.NO_ANSWER);
        NUMBERS.put("+15550100007", Behavior.ANSWER);
        NUMBERS.put("+15550100005", Behavior.DECLINE);
        NUMBERS.put("+15550100009", Behavior.UNAVAILABLE);
    }

    @Override
    public Integer call() throws Exception {
        if (hangupAfter < 1 || hangupAfter > 60) throw new IllegalArgumentException("--hangup-after must be 1..60 seconds, got " + hangupAfter);
        Path home = Path.of(System.getProperty("trunkline.home", ".trunkline"));
        // Sign every call with a throwaway certificate made at first start; the simulator verifies as a carrier would.
        ThrowawayCredentials credentials = ThrowawayCredentials.loadOrCreate(home.resolve("stir"), "Trunkline Demo SP");
        String x5u = "https://cert.trunkline.demo/sp.pem";
        StirVerifier verifier = new StirVerifier(CertificateSource.of(Map.of(x5u, credentials.chain())),
                StirVerifier.anchors(credentials.chain()), Clock.systemUTC(), 60);
        Path message = chime(home.resolve("demo").resolve("voicemail-message.wav"), new double[] {523, 659, 784, 1047});
        short[] prompt = Tones.sine(660, 6000, 8 * 600, 8000);

        SimConfig config = SimConfig.answerAll().withRingMs(400).withNoAnswerMs(2500).withStir(verifier);
        for (Map.Entry<String, Behavior> e : NUMBERS.entrySet()) config = config.withNumber(e.getKey().substring(1), e.getValue());
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Greetings greetings = Greetings.bundled();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-hangup");
            t.setDaemon(true);
            return t;
        });
        try (CarrierSimulator sim = CarrierSimulator.start(config, TransportConfig.loopback(0, -1).withThreads(1),
                new SimMedia(loopback, 41_000, 41_199, greetings, null))) {
            SipTarget trunk = new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP);
            StirSigning signing = StirSigning.of(new StirIdentityProvider(new StirSigner(credentials.key(), x5u, Attestation.A, Clock.systemUTC()), Attestation.A));
            EngineConfig engineConfig = new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1),
                    List.of(new TrunkConfig("sim", trunk, 4, 50, 0, 1, null, signing)), 0, 0, 100, 1, null, 0,
                    MediaConfig.defaults(loopback, 40_000, 40_199));
            System.out.println("carrier simulator on " + trunk + "; dialling " + NUMBERS.size() + " calls through the engine at 4 calls/s,"
                    + " each signed (STIR/SHAKEN A) with the demo certificate in " + home.resolve("stir") + ";");
            System.out.println("answering-machine detection on every call: people get the demo assistant (a prompt, then their own"
                    + " voice echoed), voicemails get a message after the beep");
            List<Row> rows = new ArrayList<>();
            Map<Call, Row> byCall = new ConcurrentHashMap<>();
            try (Engine engine = Engine.start(engineConfig)) {
                for (String number : NUMBERS.keySet()) {
                    Row row = new Row(number, greetings.forNumber(number).label());
                    rows.add(row);
                    MediaRequest media = MediaRequest.none()
                            .withAssistant(new DemoAssistant(prompt), Map.of(), null)
                            .withAmd(new AmdRequest(null, AmdRequest.Mode.SYNC, AmdRequest.VoicemailAction.LEAVE_MESSAGE, message));
                    row.call = engine.dial(CallRequest.of("+15550109999", number).withMedia(media).withRingTimeout(30).withTimeLimit(40), new CallListener() {
                        @Override
                        public void onStateChanged(Call c, CallState state) {
                            row.state = state.name().toLowerCase(Locale.ROOT).replace('_', '-');
                        }

                        @Override
                        public void onMachineDetection(Call c, AmdResult r) {
                            row.amd = r;
                            // a person talks with the assistant for a while; a voicemail ends itself after its message
                            if (r.verdict() == io.trunkline.amd.AmdVerdict.HUMAN || r.verdict() == io.trunkline.amd.AmdVerdict.NOT_SURE) {
                                timers.schedule(c::hangup, (long) (hangupAfter * 1000), TimeUnit.MILLISECONDS);
                            }
                        }

                        @Override
                        public void onEnded(Call c, CallRecord record) { row.record = record; }
                    });
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (rows.stream().anyMatch(r -> r.record == null) && System.nanoTime() < deadline) {
                    progress(rows);
                    Thread.sleep(200);
                }
                progress(rows);
            } finally {
                timers.shutdownNow();
            }
            System.out.println();
            System.out.println();
            System.out.printf("%-13s %-9s %-10s %-5s %-8s %-8s %7s %7s  %s%n", "number", "greeting", "outcome", "code", "amd", "beep", "pdd ms", "dur s", "reason");
            for (Row r : rows) {
                CallRecord c = r.record;
                if (c == null) {
                    System.out.printf("%-13s %-9s %-10s%n", r.number, "-", "(still live)");
                    continue;
                }
                String amd = c.amd() == null ? "-" : c.amd().verdict().name().toLowerCase(Locale.ROOT);
                String beep = c.beep() == null ? "-" : String.format("%.1fs", c.beep().endMs() / 1000.0);
                String duration = c.answered() != null ? String.format("%.1f", c.durationMs() / 1000.0) : "-";
                String reason = c.sipReason() == null ? "" : c.sipReason().length() > 48 ? c.sipReason().substring(0, 48) : c.sipReason();
                String greeting = c.answered() != null && r.greeting != null ? r.greeting : "-";
                System.out.printf("%-13s %-9s %-10s %-5d %-8s %-8s %7s %7s  %s%n", r.number, greeting, c.reason().wireName(), c.sipCode(), amd, beep,
                        c.postDialDelayMs() >= 0 ? String.valueOf(c.postDialDelayMs()) : "-", duration, reason);
            }
            System.out.println();
            System.out.println("simulator saw: " + sim.stats());
            return rows.stream().allMatch(r -> r.record != null) ? 0 : 1;
        }
    }

    /** A short rising chime, written once: the demo's voicemail message. */
    static Path chime(Path file, double[] notes) throws java.io.IOException {
        if (Files.exists(file)) return file;
        Files.createDirectories(file.getParent());
        try (WavWriter w = WavWriter.create(file, 8000, 1, WavWriter.Encoding.PCM16)) {
            for (double hz : notes) {
                short[] note = Tones.sine(hz, 7000, 8 * 300, 8000);
                w.writeMono(note, 0, note.length);
            }
        }
        return file;
    }

    private String lastProgress = "";

    /** One live line on a terminal (rewritten in place); one line per change when the output is a pipe or file. */
    private void progress(List<Row> rows) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Row r : rows) counts.merge(r.record != null ? r.record.reason().wireName() : r.state, 1, Integer::sum);
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(k).append(' ').append(v).append("  "));
        String line = sb.toString().trim();
        if (line.equals(lastProgress)) return;
        lastProgress = line;
        if (System.console() != null) System.out.print("\r" + line + "          ");
        else System.out.println(line);
        System.out.flush();
    }

    private static final class Row {
        final String number;
        final String greeting;
        volatile Call call;
        volatile String state = "queued";
        volatile AmdResult amd;
        volatile CallRecord record;

        Row(String number, String greeting) {
            this.number = number;
            this.greeting = greeting;
        }
    }
}
