package io.trunkline.bench.load;

import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.CallEnd;
import io.trunkline.sip.ua.CallListener;
import io.trunkline.sip.ua.CallOutcome;
import io.trunkline.sip.ua.DialRequest;
import io.trunkline.sip.ua.OutboundCall;
import io.trunkline.sip.ua.SipTarget;
import io.trunkline.sip.ua.SipUserAgent;

/** The baseline: calls placed directly on the SIP user agent, no queue, no limiter. */
public final class StackDialer implements LoadDialer {
    private final SipUserAgent ua;
    private final SipTarget trunk;
    private final String sdp;

    public StackDialer(SipUserAgent ua, SipTarget trunk) {
        this.ua = ua;
        this.trunk = trunk;
        // signalling only: nobody listens on this port, the far end's RTP (if any) is dropped by the kernel
        this.sdp = SdpOffer.audio(ua.localAddress(TransportType.UDP).getAddress().getHostAddress(), 40_002);
    }

    @Override public String path() { return "stack"; }

    @Override
    public void dial(int index, String from, String callee, long holdMs, Observer observer) {
        ua.dial(new DialRequest(trunk, from, callee, sdp), new CallListener() {
            @Override
            public void onAnswered(OutboundCall call, String answerSdp) {
                observer.answered((call.answeredNanos() - call.inviteSentNanos()) / 1000);
                if (holdMs == 0) call.hangup();
                else ua.transactions().schedule(call.owner(), holdMs, call::hangup);
            }

            @Override
            public void onEnded(OutboundCall call, CallEnd end) {
                observer.ended(end.outcome() == CallOutcome.COMPLETED ? null : end.outcome().wireName() + " " + end.sipCode());
            }
        });
    }

    @Override public long retransmissions() { return ua.transactions().retransmissions(); }

    @Override
    public int[] leftovers() {
        return new int[] {ua.activeCalls(), ua.activeDialogs(), ua.activeTransactions(), 0};
    }
}
