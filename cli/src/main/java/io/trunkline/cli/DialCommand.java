package io.trunkline.cli;

import io.trunkline.sip.message.HeaderSafety;
import io.trunkline.engine.Call;
import io.trunkline.engine.CallListener;
import io.trunkline.engine.CallRecord;
import io.trunkline.engine.CallRequest;
import io.trunkline.engine.CallState;
import io.trunkline.engine.EndReason;
import io.trunkline.engine.Engine;
import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.StirSigning;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.engine.config.EngineConfigLoader;
import io.trunkline.engine.media.AmdRequest;
import io.trunkline.engine.media.MediaRequest;
import io.trunkline.media.MediaConfig;
import io.trunkline.media.bridge.MediaStreamsBridge;
import io.trunkline.media.bridge.MediaStreamsConfig;
import io.trunkline.media.record.CallRecorder;
import io.trunkline.sip.auth.DigestClient;
import io.trunkline.sip.stir.Attestation;
import io.trunkline.sip.stir.PemKeys;
import io.trunkline.sip.stir.StirIdentityProvider;
import io.trunkline.sip.stir.StirSigner;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Places one call through the Engine (the same dial edge as {@code run} and the embedded API) and reports its
 * events; exit 0 only when it connected and ended cleanly.
 */
@Command(name = "dial", mixinStandardHelpOptions = true, description = "Place one call over a SIP trunk, through the Engine.")
final class DialCommand implements Callable<Integer> {
    @Option(names = "--trunk", paramLabel = "sip:HOST:PORT", description = "the carrier's SIP address (or use --config)")
    String trunk;

    @Option(names = "--config", paramLabel = "FILE", description = "engine configuration (YAML, see conf/trunkline.yaml): trunks with their credentials and STIR/SHAKEN keys")
    Path config;

    @Option(names = "--transport", defaultValue = "udp", description = "udp or tcp (default ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--from", required = true, paramLabel = "NUMBER", description = "caller ID, E.164")
    String from;

    @Option(names = "--to", required = true, paramLabel = "NUMBER|SIP-URI|USER", description = "callee: E.164, a SIP URI, or a user at the trunk (e.g. uas)")
    String to;

    @Option(names = "--user", description = "digest user name")
    String user;

    @Option(names = "--password", description = "digest password (or env TRUNKLINE_SIP_PASSWORD)", arity = "0..1", interactive = false)
    String password;

    @Option(names = "--hangup-after", paramLabel = "SECONDS", defaultValue = "2", description = "seconds after answer before we hang up (0..86400, default ${DEFAULT-VALUE})")
    double hangupAfter;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "ring timeout: give up ringing after this many seconds (1..600, default ${DEFAULT-VALUE})")
    int timeout;

    @Option(names = "--local", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0", description = "local SIP address without --config (default ${DEFAULT-VALUE})")
    String local;

    @Option(names = "--json", description = "print events as JSON lines")
    boolean json;

    @Option(names = "--stir-key", paramLabel = "FILE", description = "sign the INVITE (STIR/SHAKEN) with this EC P-256 PEM key; passphrase from env TRUNKLINE_STIR_KEY_PASSPHRASE")
    Path stirKey;

    @Option(names = "--stir-x5u", paramLabel = "URL", description = "the https URL of the signing certificate")
    String stirX5u;

    @Option(names = "--attest", paramLabel = "A|B|C", description = "attestation level (with --stir-key: default A; with --config: the trunk's default)")
    String attest;

    @Option(names = "--play", paramLabel = "FILE.wav", description = "play this WAV to the callee from answer (any rate)")
    Path play;

    @Option(names = "--record", paramLabel = "FILE.wav", description = "record the call: left the callee, right what we sent")
    Path record;

    @Option(names = "--record-mono", description = "record one mixed channel instead")
    boolean recordMono;

    @Option(names = "--send-digits", paramLabel = "DIGITS", description = "RFC 4733 DTMF after answer: 0-9*#A-D, w = 0.5 s wait, W = 1 s, @MS tone length (e.g. 1w2W3, 123@1000)")
    String sendDigits;

    @Option(names = "--send-on-preanswer", description = "send the digits as soon as early media starts (183)")
    boolean sendOnPreanswer;

    @Option(names = "--assistant", paramLabel = "ws://HOST:PORT/PATH", description = "stream the call to an assistant speaking the Twilio Media Streams protocol (ws or wss)")
    String assistantUrl;

    @Option(names = "--assistant-fallback", paramLabel = "FILE.wav", description = "played if the assistant disconnects, then we hang up (default: hang up at once)")
    Path assistantFallback;

    @Option(names = "--amd", description = "answering-machine detection from answer; prints the verdict")
    boolean amd;

    @Option(names = "--amd-mode", paramLabel = "sync|async|hangup", defaultValue = "sync", description = "sync: hold our audio until the verdict; async: start at once; hangup: end on a machine (default ${DEFAULT-VALUE})")
    String amdMode;

    @Option(names = "--amd-param", paramLabel = "NAME=VALUE", description = "detector threshold, e.g. initial_silence=3000 (repeatable; see amd-eval)")
    List<String> amdParams = new java.util.ArrayList<>();

    @Option(names = "--voicemail-action", paramLabel = "ACTION", description = "on a machine: hang_up, leave_message, retry_later or continue")
    String voicemailAction;

    @Option(names = "--voicemail-message", paramLabel = "FILE.wav", description = "what leave_message plays after the beep")
    Path voicemailMessage;

    @Option(names = "--codecs", paramLabel = "LIST", defaultValue = "pcmu,pcma", description = "audio codecs to offer, in order: pcmu, pcma, opus (default ${DEFAULT-VALUE})")
    String codecList;

    @Option(names = "--media-ports", paramLabel = "MIN-MAX", defaultValue = "40000-40999", description = "RTP port range without --config (default ${DEFAULT-VALUE})")
    String mediaPorts;

    @Override
    public Integer call() throws Exception {
        if (hangupAfter < 0 || hangupAfter > 86_400) throw new IllegalArgumentException("--hangup-after must be 0..86400 seconds, got " + hangupAfter);
        if (timeout < 1 || timeout > 600) throw new IllegalArgumentException("--timeout must be 1..600 seconds, got " + timeout);
        if ((trunk == null) == (config == null)) throw new IllegalArgumentException("give one of --trunk or --config");
        Attestation level = attest == null ? null : Attestation.parse("--attest", attest);
        EngineConfig engineConfig = config != null ? EngineConfigLoader.load(config, System.getenv(), io.trunkline.service.config.ServiceConfigLoader.SECTIONS) : singleTrunk(level);
        SipTarget first = engineConfig.trunks().get(0).target();
        CallRequest request = CallRequest.of(from, callee(first)).withRingTimeout(timeout);
        if (config != null && level != null) request = request.withAttestation(level);
        if (sendOnPreanswer && sendDigits == null) throw new IllegalArgumentException("--send-on-preanswer needs --send-digits");
        MediaRequest media = MediaRequest.none()
                .withPlay(play)
                .withRecord(record, recordMono ? CallRecorder.Layout.MONO : CallRecorder.Layout.STEREO)
                .withSendDigits(sendDigits, sendOnPreanswer)
                .withCodecs(codecs(codecList));
        if (!amd && (voicemailAction != null || voicemailMessage != null || !amdParams.isEmpty())) {
            throw new IllegalArgumentException("--voicemail-action, --voicemail-message and --amd-param need --amd");
        }
        if (amd) {
            media = media.withAmd(new AmdRequest(io.trunkline.amd.AmdParameters.parse(amdParams), AmdRequest.mode(amdMode),
                    voicemailAction == null ? null : AmdRequest.action(voicemailAction), voicemailMessage));
        }
        MediaStreamsBridge bridge = assistantUrl == null ? null : new MediaStreamsBridge(MediaStreamsConfig.builder(assistantUrl).build());
        if (bridge != null) media = media.withAssistant(bridge, Map.of("from", from, "to", to), assistantFallback);
        request = request.withMedia(media);

        PrintStream out = System.out;
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dial-hangup");
            t.setDaemon(true);
            return t;
        });
        try (Engine engine = Engine.start(engineConfig)) {
            long t0 = System.nanoTime();
            Call call = engine.dial(request, new CallListener() {
                @Override
                public void onStateChanged(Call c, CallState state) {
                    switch (state) {
                        case DIALING -> event(out, t0, "dialing", 0, "INVITE sent", Map.of());
                        case RINGING -> event(out, t0, "ringing", 180, "Ringing", Map.of());
                        case IN_PROGRESS -> event(out, t0, "answered", 200, "OK", Map.of());
                        default -> { }
                    }
                }

                @Override
                public void onMachineDetection(Call c, io.trunkline.amd.AmdResult r) {
                    event(out, t0, "machine_detection", 0, r.verdict().name().toLowerCase(java.util.Locale.ROOT),
                            Map.of("cause", r.cause() == null ? "" : r.cause().name().toLowerCase(java.util.Locale.ROOT), "decision_ms", r.decisionMs()));
                }

                @Override
                public void onDtmf(Call c, char digit, int durationMs) {
                    event(out, t0, "dtmf", 0, String.valueOf(digit), Map.of("duration_ms", durationMs));
                }
            });
            call.answered().thenAccept(c -> timers.schedule(c::hangup, (long) (hangupAfter * 1000), TimeUnit.MILLISECONDS));
            CallRecord cdr = call.ended().get(timeout + (long) hangupAfter + 60, TimeUnit.SECONDS);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("outcome", cdr.reason().wireName());
            fields.put("by", cdr.endedBy());
            if (cdr.trunk() != null) fields.put("trunk", cdr.trunk());
            if (cdr.postDialDelayMs() >= 0) fields.put("post_dial_delay_ms", cdr.postDialDelayMs());
            if (cdr.answered() != null) fields.put("duration_ms", cdr.durationMs());
            if (cdr.amd() != null) fields.put("amd", cdr.amd().verdict().name().toLowerCase(java.util.Locale.ROOT));
            if (cdr.beep() != null) fields.put("beep_end_ms", cdr.beep().endMs());
            if (cdr.retryLater()) fields.put("retry_later", true);
            if (cdr.media() != null) {
                fields.put("codec", cdr.media().codec());
                fields.put("rtp_sent", cdr.media().rtpSent());
                fields.put("rtp_received", cdr.media().rtpReceived());
                fields.put("loss_percent", cdr.media().lossPercent());
                fields.put("jitter_ms", cdr.media().jitterMs());
            }
            event(out, t0, "ended", cdr.sipCode(), cdr.sipReason(), fields);
            return cdr.answered() != null && (cdr.reason() == EndReason.COMPLETED || cdr.reason() == EndReason.VOICEMAIL) ? 0 : 1;
        } finally {
            timers.shutdownNow();
            if (bridge != null) bridge.close();
        }
    }

    static List<io.trunkline.sip.sdp.SdpCodec> codecs(String list) {
        List<io.trunkline.sip.sdp.SdpCodec> out = new java.util.ArrayList<>();
        for (String c : list.split(",")) {
            out.add(switch (c.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "pcmu" -> io.trunkline.sip.sdp.SdpCodec.PCMU;
                case "pcma" -> io.trunkline.sip.sdp.SdpCodec.PCMA;
                case "opus" -> io.trunkline.sip.sdp.SdpCodec.OPUS;
                default -> throw new IllegalArgumentException("--codecs must list pcmu, pcma or opus, got '" + HeaderSafety.printable(c.trim()) + "'");
            });
        }
        return out;
    }

    /** E.164 and SIP URIs go as they are; a bare user (baresip's "uas") is a user at the trunk's address. */
    private String callee(SipTarget trunkTarget) {
        if (to.matches("\\+?[0-9]{6,15}") || to.regionMatches(true, 0, "sip:", 0, 4) || to.regionMatches(true, 0, "sips:", 0, 5)) return to;
        io.trunkline.sip.message.HeaderSafety.requireUser("--to", to);
        return "sip:" + to + "@" + trunkTarget.host() + ":" + trunkTarget.port();
    }

    /** One trunk from --trunk with the command line's credentials and STIR/SHAKEN key. */
    private EngineConfig singleTrunk(Attestation level) throws InterruptedException {
        SipTarget target = SipTarget.parse(trunk, TransportType.parse(transport));
        HostPort bind = HostPort.parse("--local", local);
        String secret = password != null ? password : System.getenv("TRUNKLINE_SIP_PASSWORD");
        if (user != null && secret == null) throw new IllegalArgumentException("--user needs --password (or TRUNKLINE_SIP_PASSWORD)");
        TrunkConfig t = new TrunkConfig("trunk", target, 10, 10, 0, 1, user == null ? null : new DigestClient(user, secret), stir(level));
        int[] range = PortRange.parse("--media-ports", mediaPorts);
        return new EngineConfig(new TransportConfig(bind.host(), bind.port(), -1, 1, 4 << 20), List.of(t), 0, 0, 10, 3, null, 0,
                MediaConfig.defaults(bind.host(), range[0], range[1]));
    }

    /** The STIR/SHAKEN signing for --stir-key, or null when the call is not to be signed. */
    private StirSigning stir(Attestation level) {
        if (stirKey == null && stirX5u == null) return null;
        if (stirKey == null || stirX5u == null) throw new IllegalArgumentException("--stir-key and --stir-x5u go together");
        String passphrase = System.getenv("TRUNKLINE_STIR_KEY_PASSPHRASE");
        var key = PemKeys.readPrivateKey(stirKey, passphrase == null ? null : passphrase.toCharArray());
        return StirSigning.of(new StirIdentityProvider(new StirSigner(key, stirX5u, Attestation.A, Clock.systemUTC()),
                level == null ? Attestation.A : level));
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
