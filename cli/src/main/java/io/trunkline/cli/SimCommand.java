package io.trunkline.cli;

import io.trunkline.sim.Behavior;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transport.TransportConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs the carrier simulator until interrupted (or for --duration seconds). */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "Run the SIP trunk simulator on loopback.")
final class SimCommand implements Callable<Integer> {
    @Option(names = "--listen", defaultValue = "127.0.0.1:5080", paramLabel = "HOST:PORT", description = "UDP (and TCP) listen address (default ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--no-tcp", description = "listen on UDP only")
    boolean noTcp;

    @Option(names = "--ring-ms", defaultValue = "0", description = "ring time before the final response, 0..600000 (default ${DEFAULT-VALUE})")
    long ringMs;

    @Option(names = "--hold-ms", defaultValue = "-1", description = "callee hangs up this long after answer; -1 waits for our BYE (default ${DEFAULT-VALUE})")
    long holdMs;

    @Option(names = "--no-answer-ms", defaultValue = "3000", description = "ring time before 480 for no-answer calls (default ${DEFAULT-VALUE})")
    long noAnswerMs;

    @Option(names = "--mix", defaultValue = "answer=1", description = "behaviour weights: answer, busy, no-answer, decline, unavailable (e.g. answer=70,busy=30)")
    String mix;

    @Option(names = "--number", paramLabel = "NUMBER=BEHAVIOR", description = "behaviour for one dialled number (repeatable)")
    List<String> numbers = List.of();

    @Option(names = "--cps-limit", defaultValue = "0", description = "answer 503 above N INVITEs per sliding second; 0 = off (default ${DEFAULT-VALUE})")
    int cpsLimit;

    @Option(names = "--retry-after", defaultValue = "1", description = "Retry-After seconds on 503 (default ${DEFAULT-VALUE})")
    int retryAfter;

    @Option(names = "--auth", paramLabel = "USER:PASSWORD", description = "challenge every INVITE with 407 digest")
    String auth;

    @Option(names = "--stir-cert", paramLabel = "CERT.pem", description = "verify every INVITE's Identity against this certificate (served for any x5u and trusted as root); failures get 428/436/437/438/403")
    java.nio.file.Path stirCert;

    @Option(names = "--stir-max-age", defaultValue = "60", description = "iat freshness window in seconds (default ${DEFAULT-VALUE})")
    long stirMaxAge;

    @Option(names = "--threads", defaultValue = "2", description = "I/O threads, 1..64 (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--duration", defaultValue = "0", description = "stop after this many seconds; 0 = until interrupted")
    long duration;

    @Option(names = "--greetings", paramLabel = "bundled|DIR|none", defaultValue = "bundled", description = "what answered callees say, chosen by the called number's last digits: the bundled corpus clips (people and voicemails), every WAV in DIR, or none (signalling only, no RTP) (default ${DEFAULT-VALUE})")
    String greetings;

    @Option(names = "--record", paramLabel = "DIR", description = "record each answered call as DIR/<number>-<call-id>.wav (left: what the caller sent)")
    java.nio.file.Path record;

    @Option(names = "--invite-log", paramLabel = "FILE", description = "append one line per INVITE received: <epoch-ms> <Call-ID> <called> <calling>, flushed within milliseconds (for counting at the carrier's side)")
    java.nio.file.Path inviteLog;

    @Option(names = "--media-ports", paramLabel = "MIN-MAX", defaultValue = "41000-42999", description = "RTP port range (default ${DEFAULT-VALUE})")
    String mediaPorts;

    @Override
    public Integer call() throws Exception {
        HostPort hp = HostPort.parse("--listen", listen);
        SimConfig config = build();
        TransportConfig transport = new TransportConfig(hp.host(), hp.port(), noTcp ? -1 : hp.port(), threads, 4 << 20);
        CountDownLatch stop = new CountDownLatch(1);
        try (CarrierSimulator sim = CarrierSimulator.start(config, transport, media(hp.host()))) {
            if (inviteLog != null) sim.logInvitesTo(inviteLog);
            Thread hook = new Thread(stop::countDown);
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.println("carrier simulator listening on " + sim.udpAddress() + " (" + config + ")");
            System.out.flush();
            if (duration > 0) stop.await(duration, TimeUnit.SECONDS);
            else stop.await();
            System.out.println("stats: " + sim.stats());
        }
        return 0;
    }

    /** The simulator's audio, or null for --greetings none (then it answers with SDP nobody listens behind). */
    private io.trunkline.sim.SimMedia media(java.net.InetAddress host) throws java.io.IOException {
        if (greetings.equals("none")) {
            if (record != null) throw new IllegalArgumentException("--record needs audio: drop --greetings none");
            return null;
        }
        java.util.function.Function<String, short[]> g = greetings.equals("bundled") ? io.trunkline.sim.Greetings.bundled()
                : io.trunkline.sim.Greetings.fromDir(java.nio.file.Path.of(greetings));
        int[] range = PortRange.parse("--media-ports", mediaPorts);
        return new io.trunkline.sim.SimMedia(host, range[0], range[1], g, record);
    }

    SimConfig build() {
        SimConfig c = SimConfig.answerAll().withRingMs(ringMs).withHoldMs(holdMs).withNoAnswerMs(noAnswerMs)
                .withCpsLimit(cpsLimit).withRetryAfter(retryAfter).withMix(SimConfig.parseMix(mix));
        for (String n : numbers) {
            String[] kv = n.split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("--number must be NUMBER=BEHAVIOR, got '" + n + "'");
            c = c.withNumber(kv[0].replace("+", ""), Behavior.parse(kv[1]));
        }
        if (stirCert != null) {
            var chain = io.trunkline.sip.stir.PemKeys.readCertificates(stirCert);
            c = c.withStir(new io.trunkline.sip.stir.StirVerifier(x5u -> chain, io.trunkline.sip.stir.StirVerifier.anchors(chain),
                    java.time.Clock.systemUTC(), stirMaxAge));
        }
        if (auth != null) {
            int colon = auth.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("--auth must be USER:PASSWORD");
            c = c.withAuth(auth.substring(0, colon), auth.substring(colon + 1), "trunkline.sim");
        }
        return c;
    }
}
