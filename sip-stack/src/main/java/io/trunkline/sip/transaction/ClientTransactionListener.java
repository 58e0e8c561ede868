package io.trunkline.sip.transaction;

import gov.nist.javax.sip.message.SIPResponse;

/** What a client transaction reports to its user; always called on the transaction's event loop. */
public interface ClientTransactionListener {
    /** A response the TU must see: the first of each provisional, the final, and (INVITE) 2xx retransmissions. */
    void onResponse(ClientTransaction tx, SIPResponse response);

    /** Timer B or F fired: no final response (for an INVITE in Calling, no response at all). */
    void onTimeout(ClientTransaction tx);

    /** The request could not be sent (connection refused, unreachable). */
    void onTransportError(ClientTransaction tx, Throwable cause);
}
