package io.trunkline.sim;

import io.trunkline.sip.auth.DigestServer;
import io.trunkline.sip.stir.VerificationResult;
import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transaction.SipTimers;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.InboundCall;
import io.trunkline.sip.ua.InboundCallListener;
import io.trunkline.sip.ua.SipUserAgent;
import io.trunkline.sip.ua.UserAgentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * A SIP trunk on loopback, built on the same stack as the engine: it polices CPS, challenges, rings, and answers,
 * refuses or ignores each call as configured (per number, else by a weighted mix picked from the Call-ID, so a
 * run is repeatable). Tests, the demo and the load harness dial it.
 */
public final class CarrierSimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CarrierSimulator.class);

    private final SimConfig config;
    private final SipUserAgent ua;
    private final CpsPolicer policer;
    private final List<Map.Entry<Behavior, Integer>> mix;
    private final int mixTotal;
    private final SimStats stats = new SimStats();
    private final String sdpIp;
    private final DigestServer digest;
    private final SimMedia media;

    private CarrierSimulator(SimConfig config, TransportConfig transport, SipTimers timers, SimMedia media) throws InterruptedException {
        this.config = config;
        this.media = media;
        this.policer = config.cpsLimit() > 0 ? new CpsPolicer(config.cpsLimit()) : null;
        this.mix = config.cumulativeMix();
        this.mixTotal = mix.get(mix.size() - 1).getValue();
        this.ua = SipUserAgent.start(new UserAgentConfig(transport, timers, "Trunkline-CarrierSim/0.1"));
        this.sdpIp = transport.bindAddress().getHostAddress();
        this.digest = config.authEnabled()
                ? new DigestServer(config.realm(), config.authUser(), config.authPassword(), "MD5", 30_000) : null;
        ua.setInboundHandler(this::onInvite);
        log.info("carrier simulator on udp {} tcp {}: {}", ua.localAddress(TransportType.UDP), localTcp(), config);
    }

    public static CarrierSimulator start(SimConfig config, TransportConfig transport) throws InterruptedException {
        return new CarrierSimulator(config, transport, SipTimers.RFC3261, null);
    }

    /** With audio: answers offers for real, plays greetings, records and logs digits (see {@link SimMedia}); owns it. */
    public static CarrierSimulator start(SimConfig config, TransportConfig transport, SimMedia media) throws InterruptedException {
        return new CarrierSimulator(config, transport, SipTimers.RFC3261, media);
    }

    /** With other SIP timers: tests shorten them so lingering transactions drain in seconds, not 32 s. */
    public static CarrierSimulator start(SimConfig config, TransportConfig transport, SipTimers timers) throws InterruptedException {
        return new CarrierSimulator(config, transport, timers, null);
    }

    public SimStats stats() { return stats; }

    public SimConfig config() { return config; }

    public SipUserAgent userAgent() { return ua; }

    public InetSocketAddress udpAddress() { return ua.localAddress(TransportType.UDP); }

    private InetSocketAddress localTcp() {
        try {
            return ua.localAddress(TransportType.TCP);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** Calls currently answered or ringing at the simulator (for concurrency assertions). */
    public int activeInbound() { return ua.activeCalls(); }

    /** Calls in progress; zero once traffic stops. */
    public int activeCalls() { return ua.activeCalls(); }

    private volatile InviteLog inviteLog;

    /** From now on, every INVITE that arrives is also written to {@code file} (see {@link InviteLog}); closed with the simulator. */
    public void logInvitesTo(java.nio.file.Path file) throws java.io.IOException {
        inviteLog = new InviteLog(file);
    }

    private void onInvite(InboundCall call) {
        stats.recordArrival(call.receivedNanos());
        InviteLog invites = inviteLog;
        if (invites != null) invites.record(call.callId(), call.calledUser(), call.callingUser());
        stats.invites.increment();
        if (policer != null && !policer.tryAccept(System.nanoTime())) {
            stats.policed.increment();
            reject(call, 503, "CPS limit exceeded", "Retry-After: " + config.retryAfterSec());
            return;
        }
        if (digest != null && !authorized(call)) return;
        if (config.stir() != null && !identityValid(call)) return;
        Behavior behavior = behaviorFor(call);
        call.setListener(new InboundCallListener() {
            @Override
            public void onConfirmed(InboundCall c) {
                stats.confirmed.increment();
                if (config.holdMs() >= 0) {
                    c.schedule(config.holdMs(), () -> {
                        stats.byesSent.increment();
                        c.hangup();
                    });
                }
            }

            @Override
            public void onCancelled(InboundCall c) { stats.cancelled.increment(); }

            @Override
            public void onEnded(InboundCall c, boolean remote, String reason) {
                if (remote && "BYE".equals(reason)) stats.byesReceived.increment();
                if (c.attachment() instanceof SimMedia.Answered a) a.close();
            }
        });
        switch (behavior) {
            case ANSWER -> {
                call.ring(180, null);
                later(call, config.ringMs(), () -> {
                    String sdp = SdpOffer.audio(sdpIp, 40_000); // signalling only: nobody listens behind it
                    if (media != null) {
                        try {
                            SimMedia.Answered a = media.answer(call.callId(), call.calledUser(), offer(call), sdpIp);
                            call.attach(a);
                            sdp = a.sdp();
                        } catch (io.trunkline.sip.sdp.SdpException e) {
                            reject(call, e.sipStatus(), e.sipStatus() == 488 ? "Not Acceptable Here" : "Bad Request");
                            return;
                        } catch (RuntimeException e) { // no free RTP port pair, or a socket that would not bind
                            log.warn("cannot open media for call {}: {}", call.callId(), e.getMessage());
                            reject(call, 503, "Media Resources Exhausted", "Retry-After: " + config.retryAfterSec());
                            return;
                        }
                    }
                    stats.answered.increment();
                    stats.countFinal(200);
                    call.answer(sdp);
                });
            }
            case NO_ANSWER -> {
                call.ring(180, null);
                call.schedule(config.noAnswerMs(), () -> reject(call, 480, behavior.reason));
            }
            case UNAVAILABLE -> reject(call, 503, behavior.reason, "Retry-After: " + config.retryAfterSec());
            case BUSY, DECLINE -> {
                if (config.ringMs() == 0) reject(call, behavior.status, behavior.reason);
                else {
                    call.ring(180, null);
                    later(call, config.ringMs(), () -> reject(call, behavior.status, behavior.reason));
                }
            }
        }
    }

    private static String offer(InboundCall call) {
        byte[] body = call.request().getRawContent();
        return body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** RFC 8224 §6.2 at a terminating carrier: verify, and refuse with the reason code when it fails. */
    private boolean identityValid(InboundCall call) {
        javax.sip.header.Header h = call.request().getHeader("Identity");
        String value = h == null ? null : headerValue(h);
        javax.sip.header.Header pai = call.request().getHeader("P-Asserted-Identity");
        String orig = pai != null && ((javax.sip.header.HeaderAddress) pai).getAddress().getURI() instanceof javax.sip.address.SipURI u
                ? u.getUser() : call.callingUser();
        VerificationResult result = config.stir().verify(value, orig, call.calledUser());
        stats.lastIdentity = result;
        if (result.valid()) {
            stats.identityVerified.increment();
            return true;
        }
        stats.identityFailures.computeIfAbsent(result.code(), k -> new java.util.concurrent.atomic.LongAdder()).increment();
        reject(call, result.code(), result.phrase());
        return false;
    }

    private static String headerValue(javax.sip.header.Header h) {
        String text = h.toString();
        return text.substring(text.indexOf(':') + 1).trim();
    }

    /** Challenges with 407 unless the INVITE carries valid credentials (as a carrier's edge does). */
    private boolean authorized(InboundCall call) {
        javax.sip.header.Header h = call.request().getHeader("Proxy-Authorization");
        DigestServer.Result result = DigestServer.Result.MALFORMED;
        if (h != null) {
            result = digest.verify(headerValue(h), "INVITE", call.request().getRequestURI().toString());
            if (result == DigestServer.Result.OK) return true;
        }
        if (result == DigestServer.Result.BAD_CREDENTIALS || result == DigestServer.Result.UNKNOWN_USER) {
            reject(call, 403, "Forbidden");
        } else {
            stats.challenged.increment();
            reject(call, 407, "Proxy Authentication Required",
                    "Proxy-Authenticate: " + digest.challenge(result == DigestServer.Result.STALE));
        }
        return false;
    }

    /** Runs now when the delay is 0: the timer wheel's 10 ms tick would otherwise add to every setup time. */
    private static void later(InboundCall call, long delayMs, Runnable action) {
        if (delayMs == 0) action.run();
        else call.schedule(delayMs, action);
    }

    private void reject(InboundCall call, int status, String reason, String... headers) {
        stats.countFinal(status);
        call.reject(status, reason, headers);
    }

    /** Per-number behaviour first; otherwise the mix, chosen by the Call-ID's hash so a given call is repeatable. */
    Behavior behaviorFor(InboundCall call) {
        String number = call.calledUser();
        if (number != null) {
            Behavior b = config.byNumber().get(number.startsWith("+") ? number.substring(1) : number);
            if (b != null) return b;
        }
        int pick = Math.floorMod(call.callId().hashCode() * 0x9E3779B1, mixTotal);
        for (Map.Entry<Behavior, Integer> e : mix) if (pick < e.getValue()) return e.getKey();
        return mix.get(mix.size() - 1).getKey();
    }

    @Override
    public void close() {
        ua.close();
        if (media != null) media.close(); // the simulator owns the SimMedia it was started with
        InviteLog invites = inviteLog;
        if (invites != null) invites.close();
    }
}
