package io.trunkline.bench.sip;

import gov.nist.javax.sip.message.SIPMessage;
import io.trunkline.sip.message.SipCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Parse and encode of the two messages every call carries: a ~1 KB INVITE with SDP and its 200 OK. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class SipCodecBenchmark {
    static final String SDP = "v=0\r\no=trunkline 4858949 1 IN IP4 203.0.113.10\r\ns=trunkline\r\nc=IN IP4 203.0.113.10\r\n"
            + "t=0 0\r\nm=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n";

    static final String INVITE = "INVITE sip:15550002222@198.51.100.20:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 203.0.113.10:5060;branch=z9hG4bK-8f3a2c1d9e7b6a54;rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: \"Trunkline\" <sip:15550001111@198.51.100.20>;tag=a73kszlfl\r\n"
            + "To: <sip:15550002222@198.51.100.20:5060>\r\n"
            + "Call-ID: 9f3c1e2a7b4d4c8e8a1b2c3d4e5f6a7b@203.0.113.10\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:15550001111@203.0.113.10:5060>\r\n"
            + "User-Agent: Trunkline/0.1\r\n"
            + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;

    static final String OK = "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 203.0.113.10:5060;branch=z9hG4bK-8f3a2c1d9e7b6a54;rport=5060;received=203.0.113.10\r\n"
            + "Record-Route: <sip:198.51.100.20:5060;lr;ftag=a73kszlfl>\r\n"
            + "From: \"Trunkline\" <sip:15550001111@198.51.100.20>;tag=a73kszlfl\r\n"
            + "To: <sip:15550002222@198.51.100.20:5060>;tag=as6151ad25\r\n"
            + "Call-ID: 9f3c1e2a7b4d4c8e8a1b2c3d4e5f6a7b@203.0.113.10\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:15550002222@198.51.100.30:5060>\r\n"
            + "Server: CarrierSBC\r\n"
            + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;

    byte[] inviteBytes;
    byte[] okBytes;
    SIPMessage invite;
    SIPMessage ok;

    @Setup
    public void setup() throws Exception {
        inviteBytes = INVITE.getBytes(StandardCharsets.US_ASCII);
        okBytes = OK.getBytes(StandardCharsets.US_ASCII);
        invite = SipCodec.parse(inviteBytes);
        ok = SipCodec.parse(okBytes);
    }

    @Benchmark
    public SIPMessage parseInvite() throws Exception {
        return SipCodec.parse(inviteBytes);
    }

    @Benchmark
    public SIPMessage parse200Ok() throws Exception {
        return SipCodec.parse(okBytes);
    }

    @Benchmark
    public byte[] encodeInvite() {
        return SipCodec.encode(invite);
    }

    @Benchmark
    public byte[] encode200Ok() {
        return SipCodec.encode(ok);
    }
}
