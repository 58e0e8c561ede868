package io.trunkline.cli;

import io.trunkline.sim.Behavior;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.CallEnd;
import io.trunkline.sip.ua.CallListener;
import io.trunkline.sip.ua.DialRequest;
import io.trunkline.sip.ua.OutboundCall;
import io.trunkline.sip.ua.SipTarget;
import io.trunkline.sip.ua.SipUserAgent;
import io.trunkline.sip.ua.UserAgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.trunkline.sip.stir.Attestation;
import io.trunkline.sip.stir.CertificateSource;
import io.trunkline.sip.stir.StirIdentityProvider;
import io.trunkline.sip.stir.StirSigner;
import io.trunkline.sip.stir.StirVerifier;
import io.trunkline.sip.stir.ThrowawayCredentials;
import io.trunkline.sip.ua.IdentityProvider;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The main job on embedded defaults: starts the carrier simulator on loopback, dials a small batch with a spread
 * of outcomes, shows live progress and prints a table. Needs no configuration.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Dial a batch of calls against the built-in carrier simulator.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--hangup-after", defaultValue = "1.5", description = "seconds we hold answered calls (0..60, default ${DEFAULT-VALUE})")
    double hangupAfter;

    private static final Map<String, Behavior> NUMBERS = new LinkedHashMap<>();

    static {
        NUMBERS.put("15550100001", Behavior.ANSWER);
        NUMBERS.put("15550100002", Behavior.BUSY);
        NUMBERS.put("15550100003", Behavior.ANSWER);
        NUMBERS.put("15550100004", Behavior.NO_ANSWER);
        NUMBERS.put("15550100005", Behavior.DECLINE);
        NUMBERS.put("15550100006", Behavior.ANSWER);
        NUMBERS.put("15550100007", Behavior.UNAVAILABLE);
        NUMBERS.put("15550100008", Behavior.ANSWER);
    }

    @Override
    public Integer call() throws Exception {
        if (hangupAfter < 0 || hangupAfter > 60) throw new IllegalArgumentException("--hangup-after must be 0..60 seconds, got " + hangupAfter);
        // Sign every call with a throwaway certificate made at first start; the simulator verifies as a carrier would.
        Path home = Path.of(System.getProperty("trunkline.home", ".trunkline"));
        ThrowawayCredentials credentials = ThrowawayCredentials.loadOrCreate(home.resolve("stir"), "Trunkline Demo SP");
        String x5u = "https://cert.trunkline.demo/sp.pem";
        StirVerifier verifier = new StirVerifier(CertificateSource.of(Map.of(x5u, credentials.chain())),
                StirVerifier.anchors(credentials.chain()), Clock.systemUTC(), 60);
        IdentityProvider signer = new StirIdentityProvider(new StirSigner(credentials.key(), x5u, Attestation.A, Clock.systemUTC()), Attestation.A);
        SimConfig config = SimConfig.answerAll().withRingMs(400).withNoAnswerMs(2500).withStir(verifier);
        for (Map.Entry<String, Behavior> e : NUMBERS.entrySet()) config = config.withNumber(e.getKey(), e.getValue());
        try (CarrierSimulator sim = CarrierSimulator.start(config, TransportConfig.loopback(0, -1).withThreads(1));
             SipUserAgent ua = SipUserAgent.start(UserAgentConfig.of(TransportConfig.loopback(0, -1).withThreads(1)))) {
            SipTarget trunk = new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP);
            System.out.println("carrier simulator on " + trunk + "; dialling " + NUMBERS.size() + " calls at 4 calls/s,"
                    + " each signed (STIR/SHAKEN A) with the demo certificate in " + home.resolve("stir"));
            String sdp = SdpOffer.audio("127.0.0.1", 40_000);
            List<Row> rows = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(NUMBERS.size());
            for (String number : NUMBERS.keySet()) {
                Row row = new Row(number);
                rows.add(row);
                row.call = ua.dial(new DialRequest(trunk, "15550109999", "Trunkline Demo", number, sdp, List.of(), null, signer), new CallListener() {
                    @Override
                    public void onRinging(OutboundCall c, int status, String earlySdp) { row.state = "ringing"; }

                    @Override
                    public void onAnswered(OutboundCall c, String answer) {
                        row.state = "in-progress";
                        ua.transactions().schedule(c.owner(), (long) (hangupAfter * 1000), c::hangup);
                    }

                    @Override
                    public void onEnded(OutboundCall c, CallEnd end) {
                        row.end = end;
                        row.state = "ended";
                        done.countDown();
                    }
                });
                Thread.sleep(250);
                progress(rows);
            }
            while (!done.await(200, TimeUnit.MILLISECONDS)) progress(rows);
            progress(rows);
            System.out.println();
            System.out.println();
            System.out.printf("%-13s %-10s %-5s %-24s %10s %10s%n", "number", "outcome", "code", "reason", "pdd ms", "duration s");
            for (Row r : rows) {
                OutboundCall c = r.call;
                String pdd = c.answeredNanos() > 0 ? String.valueOf((c.answeredNanos() - c.inviteSentNanos()) / 1_000_000)
                        : String.valueOf((c.endedNanos() - c.inviteSentNanos()) / 1_000_000);
                String duration = c.answeredNanos() > 0 ? String.format("%.2f", (c.endedNanos() - c.answeredNanos()) / 1e9) : "-";
                String reason = r.end.reason().length() > 24 ? r.end.reason().substring(0, 24) : r.end.reason();
                System.out.printf("%-13s %-10s %-5d %-24s %10s %10s%n", "+" + r.number, r.end.outcome().wireName(), r.end.sipCode(), reason, pdd, duration);
            }
            System.out.println();
            System.out.println("simulator saw: " + sim.stats());
            return 0;
        }
    }

    private String lastProgress = "";

    /** One live line on a terminal (rewritten in place); one line per change when the output is a pipe or file. */
    private void progress(List<Row> rows) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Row r : rows) {
            String key = r.end != null ? r.end.outcome().wireName() : r.state;
            counts.merge(key, 1, Integer::sum);
        }
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
        volatile OutboundCall call;
        volatile String state = "dialing";
        volatile CallEnd end;

        Row(String number) { this.number = number; }
    }
}
