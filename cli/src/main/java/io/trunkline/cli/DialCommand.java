package io.trunkline.cli;

import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.CallEnd;
import io.trunkline.sip.ua.CallListener;
import io.trunkline.sip.ua.CallOutcome;
import io.trunkline.sip.ua.DialRequest;
import io.trunkline.sip.ua.OutboundCall;
import io.trunkline.sip.ua.SipTarget;
import io.trunkline.sip.ua.SipUserAgent;
import io.trunkline.sip.ua.UserAgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Places one call and reports its events; exit 0 only when it connected and ended cleanly. */
@Command(name = "dial", mixinStandardHelpOptions = true, description = "Place one call over a SIP trunk.")
final class DialCommand implements Callable<Integer> {
    @Option(names = "--trunk", required = true, paramLabel = "sip:HOST:PORT", description = "the carrier's SIP address")
    String trunk;

    @Option(names = "--transport", defaultValue = "udp", description = "udp or tcp (default ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--from", required = true, paramLabel = "NUMBER", description = "caller ID")
    String from;

    @Option(names = "--to", required = true, paramLabel = "NUMBER|SIP-URI", description = "callee")
    String to;

    @Option(names = "--user", description = "digest user name")
    String user;

    @Option(names = "--password", description = "digest password (or env TRUNKLINE_SIP_PASSWORD)", arity = "0..1", interactive = false)
    String password;

    @Option(names = "--hangup-after", paramLabel = "SECONDS", defaultValue = "2", description = "seconds after answer before we hang up (0..86400, default ${DEFAULT-VALUE})")
    double hangupAfter;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "give up ringing after this many seconds (1..3600, default ${DEFAULT-VALUE})")
    double timeout;

    @Option(names = "--local", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0", description = "local SIP address (default ${DEFAULT-VALUE})")
    String local;

    @Option(names = "--json", description = "print events as JSON lines")
    boolean json;

    @Option(names = "--stir-key", paramLabel = "FILE", description = "sign the INVITE (STIR/SHAKEN) with this EC P-256 PEM key; passphrase from env TRUNKLINE_STIR_KEY_PASSPHRASE")
    java.nio.file.Path stirKey;

    @Option(names = "--stir-x5u", paramLabel = "URL", description = "the https URL of the signing certificate")
    String stirX5u;

    @Option(names = "--attest", paramLabel = "A|B|C", defaultValue = "A", description = "attestation level (default ${DEFAULT-VALUE})")
    String attest;

    @Override
    public Integer call() throws Exception {
        if (hangupAfter < 0 || hangupAfter > 86_400) throw new IllegalArgumentException("--hangup-after must be 0..86400 seconds, got " + hangupAfter);
        if (timeout < 1 || timeout > 3600) throw new IllegalArgumentException("--timeout must be 1..3600 seconds, got " + timeout);
        TransportType type = TransportType.parse(transport);
        SipTarget target = SipTarget.parse(trunk, type);
        HostPort bind = HostPort.parse("--local", local);
        String secret = password != null ? password : System.getenv("TRUNKLINE_SIP_PASSWORD");
        if (user != null && secret == null) throw new IllegalArgumentException("--user needs --password (or TRUNKLINE_SIP_PASSWORD)");
        PrintStream out = System.out;
        try (SipUserAgent ua = SipUserAgent.start(UserAgentConfig.of(
                new TransportConfig(bind.host(), bind.port(), -1, 1, 4 << 20)))) {
            DialRequest request = new DialRequest(target, from, null, to,
                    SdpOffer.audio(ua.localAddress(TransportType.UDP).getAddress().getHostAddress(), 40_000), null,
                    user == null ? null : new io.trunkline.sip.auth.DigestClient(user, secret), stir());
            CompletableFuture<CallEnd> ended = new CompletableFuture<>();
            long t0 = System.nanoTime();
            boolean[] answered = {false};
            OutboundCall call = ua.dial(request, new CallListener() {
                @Override
                public void onTrying(OutboundCall c) { event(out, t0, "trying", 100, "Trying"); }

                @Override
                public void onRinging(OutboundCall c, int status, String earlySdp) {
                    event(out, t0, earlySdp == null ? "ringing" : "early-media", status, status == 180 ? "Ringing" : "Session Progress");
                }

                @Override
                public void onAnswered(OutboundCall c, String sdp) {
                    answered[0] = true;
                    event(out, t0, "answered", 200, "OK");
                    ua.transactions().schedule(c.owner(), (long) (hangupAfter * 1000), c::hangup);
                }

                @Override
                public void onEnded(OutboundCall c, CallEnd end) { ended.complete(end); }
            });
            CallEnd end;
            try {
                end = ended.get((long) (timeout * 1000), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                call.cancel();
                end = ended.get(40, TimeUnit.SECONDS);
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("outcome", end.outcome().wireName());
            fields.put("by", end.remote() ? "remote" : "local");
            if (call.answeredNanos() > 0) {
                fields.put("post_dial_delay_ms", (call.answeredNanos() - call.inviteSentNanos()) / 1_000_000);
                fields.put("duration_ms", (call.endedNanos() - call.answeredNanos()) / 1_000_000);
            }
            event(out, t0, "ended", end.sipCode(), end.reason(), fields);
            return answered[0] && end.outcome() == CallOutcome.COMPLETED ? 0 : 1;
        }
    }

    /** The STIR/SHAKEN signer for --stir-key, or null when the call is not to be signed. */
    private io.trunkline.sip.ua.IdentityProvider stir() {
        if (stirKey == null && stirX5u == null) return null;
        if (stirKey == null || stirX5u == null) throw new IllegalArgumentException("--stir-key and --stir-x5u go together");
        String passphrase = System.getenv("TRUNKLINE_STIR_KEY_PASSPHRASE");
        var key = io.trunkline.sip.stir.PemKeys.readPrivateKey(stirKey, passphrase == null ? null : passphrase.toCharArray());
        var level = io.trunkline.sip.stir.Attestation.parse("--attest", attest);
        return new io.trunkline.sip.stir.StirIdentityProvider(
                new io.trunkline.sip.stir.StirSigner(key, stirX5u, io.trunkline.sip.stir.Attestation.A, java.time.Clock.systemUTC()), level);
    }

    private void event(PrintStream out, long t0, String event, int code, String reason) {
        event(out, t0, event, code, reason, Map.of());
    }

    private void event(PrintStream out, long t0, String event, int code, String reason, Map<String, Object> extra) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t_ms", ms);
            m.put("event", event);
            m.put("sip_code", code);
            m.put("reason", reason);
            m.putAll(extra);
            out.println(Json.write(m));
        } else {
            StringBuilder sb = new StringBuilder(String.format("%7.3fs %-11s %d %s", ms / 1000.0, event, code, reason));
            extra.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            out.println(sb);
        }
        out.flush();
    }
}
