package io.trunkline.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * RFC 3550 §6 RTCP: writes the compound packets a session sends (SR with one report block, SDES CNAME, BYE) and
 * parses what the peer sends, in place on a {@link ByteBuf}.
 */
public final class Rtcp {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    private static final int REPORT_BLOCK = 24;
    /** Seconds from 1900-01-01 (NTP epoch) to 1970-01-01. */
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private Rtcp() {}

    /** The 64-bit NTP timestamp of a Unix time in nanoseconds. */
    public static long ntpTime(long unixNanos) {
        long seconds = unixNanos / 1_000_000_000L + NTP_UNIX_OFFSET;
        long fraction = ((unixNanos % 1_000_000_000L) << 32) / 1_000_000_000L;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits of an NTP timestamp (the LSR/DLSR clock, 1/65536 s). */
    public static long ntpMiddle(long ntp) { return (ntp >>> 16) & 0xffffffffL; }

    /**
     * Writes an SR at the writer index: sender info, and when {@code stats} has a valid source one report block
     * about it. {@code lastSrMiddle}/{@code sinceLastSrNanos} fill LSR/DLSR (0 when no SR was received yet).
     */
    public static void writeSenderReport(ByteBuf out, long ssrc, long ntp, long rtpTimestamp, long packets,
                                         long octets, RtpReceiveStats stats, long lastSrMiddle,
                                         long sinceLastSrNanos) {
        boolean block = stats != null && stats.haveSource();
        int words = 6 + (block ? 6 : 0);
        out.writeByte(0x80 | (block ? 1 : 0));
        out.writeByte(SR);
        out.writeShort(words);
        out.writeInt((int) ssrc);
        out.writeInt((int) (ntp >>> 32));
        out.writeInt((int) ntp);
        out.writeInt((int) rtpTimestamp);
        out.writeInt((int) packets);
        out.writeInt((int) octets);
        if (block) {
            out.writeInt((int) stats.ssrc());
            out.writeInt((stats.takeFractionLost() << 24) | (stats.cumulativeLost() & 0xffffff));
            out.writeInt((int) stats.extendedHighestSeq());
            out.writeInt((int) stats.jitter());
            out.writeInt((int) lastSrMiddle);
            out.writeInt(lastSrMiddle == 0 ? 0 : (int) (sinceLastSrNanos * 65_536L / 1_000_000_000L));
        }
    }

    /** Writes an SDES with one chunk carrying the CNAME (ASCII, at most 255 bytes) at the writer index. */
    public static void writeSdesCname(ByteBuf out, long ssrc, byte[] cname) {
        int itemsLen = 2 + cname.length + 1;
        int chunkLen = 4 + ((itemsLen + 3) & ~3);
        out.writeByte(0x81);
        out.writeByte(SDES);
        out.writeShort(chunkLen / 4);
        out.writeInt((int) ssrc);
        out.writeByte(1);
        out.writeByte(cname.length);
        out.writeBytes(cname);
        out.writeZero(chunkLen - 4 - 2 - cname.length);
    }

    /** Writes a BYE for one SSRC at the writer index. */
    public static void writeBye(ByteBuf out, long ssrc) {
        out.writeByte(0x81);
        out.writeByte(BYE);
        out.writeShort(1);
        out.writeInt((int) ssrc);
    }

    /**
     * Parses a compound packet from the reader index without consuming it; fills {@code into} with the SR timing
     * and the report block about {@code ourSsrc}. Returns false for a malformed packet (bad version, a length
     * running past the datagram, a report count that does not fit), leaving {@code into} possibly half-updated only
     * for the sub-packets before the fault.
     */
    public static boolean parse(ByteBuf buf, long ourSsrc, long arrivalNanos, long arrivalNtp, PeerReport into) {
        int r = buf.readerIndex();
        int end = r + buf.readableBytes();
        if (end - r < 8) return false;
        int pos = r;
        while (pos < end) {
            if (end - pos < 4) return false;
            int b0 = buf.getUnsignedByte(pos);
            if ((b0 >>> 6) != 2) return false;
            int count = b0 & 0x1f;
            int pt = buf.getUnsignedByte(pos + 1);
            int len = (buf.getUnsignedShort(pos + 2) + 1) * 4;
            if (pos + len > end) return false;
            switch (pt) {
                case SR -> {
                    if (len < 28 + count * REPORT_BLOCK) return false;
                    long ntp = buf.getLong(pos + 8);
                    into.senderReport(ntpMiddle(ntp), arrivalNanos);
                    readBlocks(buf, pos + 28, count, ourSsrc, arrivalNtp, into);
                }
                case RR -> {
                    if (len < 8 + count * REPORT_BLOCK) return false;
                    readBlocks(buf, pos + 8, count, ourSsrc, arrivalNtp, into);
                }
                case BYE -> into.bye();
                default -> { }
            }
            pos += len;
        }
        return true;
    }

    private static void readBlocks(ByteBuf buf, int at, int count, long ourSsrc, long arrivalNtp, PeerReport into) {
        for (int i = 0; i < count; i++, at += REPORT_BLOCK) {
            if (buf.getUnsignedInt(at) != ourSsrc) continue;
            int lossWord = buf.getInt(at + 4);
            int fraction = lossWord >>> 24;
            int cumulative = (lossWord << 8) >> 8;
            long lsr = buf.getUnsignedInt(at + 16);
            long dlsr = buf.getUnsignedInt(at + 20);
            long rttUnits = lsr == 0 ? -1 : (ntpMiddle(arrivalNtp) - lsr - dlsr) & 0xffffffffL;
            into.receiverReport(fraction, cumulative, buf.getUnsignedInt(at + 8), buf.getUnsignedInt(at + 12),
                    rttUnits < 0 || rttUnits > 65_536L * 60 ? -1 : rttUnits * 1_000_000L / 65_536L);
        }
    }
}
