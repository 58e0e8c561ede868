package io.trunkline.sip.transaction;

import io.trunkline.sip.transport.InboundMessage;

/** The layer above the transactions (RFC 3261's TU): the UA core. Called on the call's event loop. */
public interface TransactionUser {
    /** A new request (not ACK, not a retransmission); the TU must answer through {@code tx}. */
    void onRequest(ServerTransaction tx, InboundMessage request);

    /** A CANCEL that matched {@code invite}; the layer has already answered the CANCEL with 200. */
    void onCancel(ServerTransaction invite, InboundMessage cancel);

    /** An ACK that no transaction absorbed: the ACK for a 2xx, which belongs to the dialog. */
    void onAck(InboundMessage ack);

    /** A response no client transaction matched: for INVITE, a 2xx retransmission that needs the ACK again. */
    void onStrayResponse(InboundMessage response);
}
