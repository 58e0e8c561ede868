package io.trunkline.sip.ua;

import io.trunkline.sip.transaction.SipTimers;
import io.trunkline.sip.transport.TransportConfig;

/**
 * @param transport   sockets to listen on
 * @param timers      RFC 3261 timer bases
 * @param productName the User-Agent / Server header value
 */
public record UserAgentConfig(TransportConfig transport, SipTimers timers, String productName) {
    public static UserAgentConfig of(TransportConfig transport) {
        return new UserAgentConfig(transport, SipTimers.RFC3261, "Trunkline/0.1");
    }
}
