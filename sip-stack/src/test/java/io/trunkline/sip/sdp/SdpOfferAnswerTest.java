package io.trunkline.sip.sdp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 3264 offer/answer between our offerer and our answerer, and against answers written by other stacks. */
class SdpOfferAnswerTest {

    @Test
    void offerAndAnswerAgreeOnTheOfferersFirstCommonCodec() throws Exception {
        SdpOffer offer = SdpOffer.create(new LocalMedia("127.0.0.1", 40000, List.of(SdpCodec.OPUS, SdpCodec.PCMU, SdpCodec.PCMA),
                true, 20, MediaDirection.SENDRECV));
        assertTrue(offer.sdp().contains("m=audio 40000 RTP/AVP 111 0 8 110 101\r\n"), offer.sdp());
        assertTrue(offer.sdp().contains("a=rtpmap:111 opus/48000/2\r\n"));
        // RFC 4733 §2.1: events share the audio's timestamp base, so one telephone-event per offered clock rate
        assertTrue(offer.sdp().contains("a=rtpmap:110 telephone-event/48000\r\na=fmtp:110 0-15\r\n"), offer.sdp());
        assertTrue(offer.sdp().contains("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"), offer.sdp());

        SdpOffer.Answer answer = SdpOffer.answer(offer.sdp(), LocalMedia.g711("127.0.0.2", 50000));
        assertEquals("PCMU", answer.media().codec().name(), "the answerer has no Opus, so the offerer's next choice");
        assertEquals(101, answer.media().telephoneEventPt());
        assertEquals(40000, answer.media().remotePort());
        assertEquals(40001, answer.media().remoteRtcpPort());

        NegotiatedMedia ours = offer.accept(answer.sdp());
        assertEquals("PCMU", ours.codec().name());
        assertEquals(0, ours.codec().payloadType());
        assertEquals("127.0.0.2", ours.remoteAddress());
        assertEquals(50000, ours.remotePort());
        assertEquals(101, ours.telephoneEventPt());
        assertEquals(MediaDirection.SENDRECV, ours.direction());
        assertFalse(ours.onHold());
    }

    /** An answer in the style of common endpoints: dynamic numbers of their own, rtcp attribute, no ptime. */
    @Test
    void acceptsAnAnswerWithItsOwnDynamicNumbersAndRtcpPort() throws Exception {
        SdpOffer offer = SdpOffer.create(new LocalMedia("10.0.0.1", 40000, List.of(SdpCodec.OPUS, SdpCodec.PCMU), true, 20, MediaDirection.SENDRECV));
        String answer = "v=0\r\no=- 3 4 IN IP4 192.0.2.10\r\ns=-\r\nt=0 0\r\nm=audio 7078 RTP/AVP 96 100\r\n"
                + "c=IN IP4 192.0.2.10\r\na=rtpmap:96 opus/48000/2\r\na=fmtp:96 useinbandfec=1\r\n"
                + "a=rtpmap:100 telephone-event/8000\r\na=rtcp:7079 IN IP4 192.0.2.10\r\n";
        NegotiatedMedia m = offer.accept(answer);
        assertEquals("opus", m.codec().name());
        assertEquals(96, m.codec().payloadType(), "send with the number the answerer said it receives");
        assertEquals(100, m.telephoneEventPt(), "only telephone-event/8000 beside Opus: taken, timed on the audio clock");
        assertEquals(7079, m.remoteRtcpPort());
        assertEquals(20, m.ptimeMs(), "no ptime in the answer keeps ours");
    }

    @Test
    void telephoneEventIsTakenAtTheChosenCodecsClockRate() throws Exception {
        SdpOffer offer = SdpOffer.create(new LocalMedia("127.0.0.1", 40000, List.of(SdpCodec.OPUS, SdpCodec.PCMU), true, 20, MediaDirection.SENDRECV));
        // An Opus answerer (ours, with Opus) answers with the 48 kHz event format, and we use its number.
        SdpOffer.Answer opus = SdpOffer.answer(offer.sdp(), new LocalMedia("127.0.0.2", 50000, List.of(SdpCodec.OPUS), true, 20, MediaDirection.SENDRECV));
        assertEquals(110, opus.media().telephoneEventPt());
        assertTrue(opus.sdp().contains("a=rtpmap:110 telephone-event/48000\r\n"), opus.sdp());
        assertFalse(opus.sdp().contains("telephone-event/8000"), opus.sdp());
        assertEquals(110, offer.accept(opus.sdp()).telephoneEventPt());
        // A PCMU answerer picks the 8 kHz one.
        SdpOffer.Answer pcmu = SdpOffer.answer(offer.sdp(), LocalMedia.g711("127.0.0.2", 50000));
        assertEquals(101, pcmu.media().telephoneEventPt());
        assertFalse(pcmu.sdp().contains("telephone-event/48000"), pcmu.sdp());
        // A peer offering events at both rates in the other order still gets the matching one.
        String both = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0 101 103\r\n"
                + "a=rtpmap:101 telephone-event/48000\r\na=rtpmap:103 telephone-event/8000\r\n";
        assertEquals(103, SdpOffer.answer(both, LocalMedia.g711("127.0.0.2", 6000)).media().telephoneEventPt());
    }

    @Test
    void holdAndDirectionsAreReadFromOurPointOfView() throws Exception {
        SdpOffer offer = SdpOffer.create(LocalMedia.g711("127.0.0.1", 40000));
        String base = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n%s";
        assertEquals(MediaDirection.SENDONLY, offer.accept(base.formatted("127.0.0.1", "a=recvonly\r\n")).direction());
        NegotiatedMedia held = offer.accept(base.formatted("127.0.0.1", "a=sendonly\r\n"));
        assertEquals(MediaDirection.RECVONLY, held.direction());
        assertTrue(held.onHold());
        assertTrue(offer.accept(base.formatted("0.0.0.0", "")).onHold(), "RFC 2543 hold: c=0.0.0.0");
        assertEquals(-1, offer.accept(base.formatted("127.0.0.1", "")).telephoneEventPt(), "no DTMF unless answered");

        SdpOffer hold = offer.reoffer(offer.local().withDirection(MediaDirection.SENDONLY));
        assertTrue(hold.sdp().contains(" 2 IN IP4 "), "re-offer bumps the version");
        assertTrue(hold.sdp().contains("a=sendonly"));
        assertEquals(MediaDirection.RECVONLY, SdpOffer.answer(hold.sdp(), LocalMedia.g711("127.0.0.2", 6000)).media().direction());
    }

    @Test
    void unusableBodiesGetTheStatusAnAnswererWouldSend() {
        SdpOffer offer = SdpOffer.create(LocalMedia.g711("127.0.0.1", 40000));
        String g729 = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 18\r\n";
        assertEquals(488, assertThrows(SdpException.class, () -> offer.accept(g729)).sipStatus());
        assertEquals(488, assertThrows(SdpException.class, () -> SdpOffer.answer(g729, LocalMedia.g711("127.0.0.1", 6000))).sipStatus());
        String rejected = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n";
        assertEquals(488, assertThrows(SdpException.class, () -> offer.accept(rejected)).sipStatus());

        for (String bad : new String[] {"", "v=1\r\n", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nm=audio 99999 RTP/AVP 0\r\n",
                "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nm=audio 5000 RTP/AVP 0\r\n", // no c= anywhere
                "v=0\r\no=- x 1 IN IP4 127.0.0.1\r\n", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nc=IN IP4 1.2.3.4\r\nm=audio 5000 RTP/AVP 0\r\na=ptime:0\r\n",
                "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nc=IN IP4 1.2.3.4\r\nm=audio 5000 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n",
                "v=0\r\nbroken line\r\n", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nc=IN X 1\r\n"}) {
            SdpException e = assertThrows(SdpException.class, () -> offer.accept(bad), bad);
            assertEquals(400, e.sipStatus(), bad);
        }
    }

    @Test
    void localMediaRejectsOutOfRangeValuesByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalMedia.g711("127.0.0.1", 0)).getMessage().startsWith("rtp port must be 1..65535"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LocalMedia("127.0.0.1", 4000, List.of(SdpCodec.PCMU), true, 25, MediaDirection.SENDRECV))
                .getMessage().startsWith("ptime must be"));
    }

    /** Seeded byte mutations of a real offer: the parser answers with an SdpException or a result, nothing else. */
    @Test
    void mutatedBodiesNeverEscapeAsAnythingButSdpException() {
        String offer = SdpOffer.create(new LocalMedia("127.0.0.1", 40000, List.of(SdpCodec.OPUS, SdpCodec.PCMU), true, 20, MediaDirection.SENDRECV)).sdp();
        java.util.Random random = new java.util.Random(4566);
        String alphabet = "0123456789 =:/\r\nabcmovtIP4-";
        for (int i = 0; i < 5000; i++) {
            StringBuilder b = new StringBuilder(offer);
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            try {
                SdpOffer.answer(b.toString(), LocalMedia.g711("127.0.0.2", 6000));
            } catch (SdpException expected) {
                assertTrue(expected.sipStatus() == 400 || expected.sipStatus() == 488);
            }
        }
    }

    /** Media goes to an IP literal only: a host name would be a DNS lookup on the thread that negotiated. */
    @Test
    void theMediaAddressMustBeAnIpLiteral() throws Exception {
        SdpOffer offer = SdpOffer.create(LocalMedia.g711("127.0.0.1", 40000));
        String base = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN %s %s\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";
        assertEquals(new java.net.InetSocketAddress("127.0.0.2", 5000), offer.accept(base.formatted("IP4", "127.0.0.2")).remoteRtp());
        assertEquals(5000, offer.accept(base.formatted("IP6", "::1")).remoteRtp().getPort());
        for (String bad : new String[] {"media.example.com", "300.1.1.1", "1.2.3"}) {
            SdpException e = assertThrows(SdpException.class, () -> offer.accept(base.formatted("IP4", bad)).remoteRtp(), bad);
            assertEquals(488, e.sipStatus());
        }
    }
}
