package io.trunkline.sip.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Our side of RFC 3264 offer/answer as the offerer (an outbound INVITE) and as the answerer (the simulator, inbound
 * calls). The offer keeps what it offered so that the answer can be checked against it: an answerer may only pick
 * from the offered formats, and for dynamic payload types the offerer's number is the one to send with.
 */
public final class SdpOffer {
    private final LocalMedia local;
    private final long sessionId;
    private final long version;
    private final String sdp;

    private SdpOffer(LocalMedia local, long sessionId, long version) {
        this.local = local;
        this.sessionId = sessionId;
        this.version = version;
        this.sdp = local.write(sessionId, version, local.codecs(), local.telephoneEventsFor(local.codecs()));
    }

    public static SdpOffer create(LocalMedia local) {
        return new SdpOffer(local, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), 1);
    }

    /** A G.711 offer body, for callers that only signal and never open media (signalling load tests). */
    public static String audio(String localIp, int rtpPort) {
        return create(LocalMedia.g711(localIp, rtpPort)).sdp();
    }

    public String sdp() { return sdp; }

    public LocalMedia local() { return local; }

    /** A re-offer in the same session (hold, resume, codec change): same id, version + 1 (RFC 3264 §8). */
    public SdpOffer reoffer(LocalMedia changed) { return new SdpOffer(changed, sessionId, version + 1); }

    /**
     * Checks the answer (from a 183 or the 2xx) against this offer.
     *
     * @throws SdpException 400 when malformed; 488 when the audio stream was rejected or the answer picked a codec we
     *                      did not offer
     */
    public NegotiatedMedia accept(String answerBody) throws SdpException {
        MediaDescription remote = SessionDescription.parse(answerBody).audio();
        if (remote == null) throw new SdpException(488, "the answer rejected the audio stream (no audio with a non-zero port)");
        // RFC 3264 §6.1 says the answerer reuses our numbers; where one does not, its answer says what it expects to
        // receive, so we send with the answer's number.
        SdpCodec chosen = firstCommon(remote.codecs(), local.codecs());
        if (chosen == null) throw new SdpException(488, "the answer has no codec we offered (offered " + names(local.codecs()) + ")");
        SdpCodec dtmf = local.telephoneEvent() ? telephoneEventAt(remote.codecs(), chosen.clockRate()) : null;
        return NegotiatedMedia.of(remote, chosen, dtmf == null ? -1 : dtmf.payloadType(), local.ptimeMs(),
                remote.direction().answer(local.direction()));
    }

    /**
     * Answers a remote offer: the first offered codec we support (the offerer's preference, RFC 3264 §6.1), with
     * the offerer's payload type numbers, telephone-event when both support it, and the direction limited by both.
     */
    public static Answer answer(String offerBody, LocalMedia local) throws SdpException {
        SessionDescription offer = SessionDescription.parse(offerBody);
        MediaDescription remote = offer.audio();
        if (remote == null) throw new SdpException(488, "the offer has no audio stream");
        SdpCodec chosen = firstCommon(remote.codecs(), local.codecs());
        if (chosen == null) throw new SdpException(488, "no common codec: offered " + names(remote.codecs()) + ", we support " + names(local.codecs()));
        SdpCodec dtmf = local.telephoneEvent() ? telephoneEventAt(remote.codecs(), chosen.clockRate()) : null;
        MediaDirection ours = remote.direction().answer(local.direction());
        LocalMedia answered = local.withDirection(ours);
        String sdp = answered.write(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), 1, List.of(chosen),
                dtmf == null ? List.of() : List.of(dtmf));
        return new Answer(sdp, NegotiatedMedia.of(remote, chosen, dtmf == null ? -1 : dtmf.payloadType(), local.ptimeMs(), ours));
    }

    public record Answer(String sdp, NegotiatedMedia media) {}

    /** The first of the peer's audio formats (its order, its payload type) that we also have, or null. */
    private static SdpCodec firstCommon(List<SdpCodec> theirs, List<SdpCodec> ours) {
        for (SdpCodec c : theirs) {
            if (c.isTelephoneEvent()) continue;
            for (SdpCodec mine : ours) if (mine.sameFormat(c)) return c;
        }
        return null;
    }

    /**
     * The peer's telephone-event at the audio codec's clock rate (RFC 4733 §2.1: events share the audio's timestamp
     * base), else its first telephone-event at any rate, else null. The fallback is for endpoints that list only
     * telephone-event/8000 beside Opus yet time their events on the audio clock (older baresip did): the media side
     * always counts event timestamps and durations on the audio codec's clock.
     */
    private static SdpCodec telephoneEventAt(List<SdpCodec> remote, int clockRate) {
        SdpCodec any = null;
        for (SdpCodec c : remote) {
            if (!c.isTelephoneEvent()) continue;
            if (c.clockRate() == clockRate) return c;
            if (any == null) any = c;
        }
        return any;
    }

    private static String names(List<SdpCodec> codecs) {
        List<String> n = new ArrayList<>();
        for (SdpCodec c : codecs) n.add(c.name() + "/" + c.clockRate());
        return String.join(", ", n);
    }
}
