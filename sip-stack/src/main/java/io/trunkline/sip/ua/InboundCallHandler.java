package io.trunkline.sip.ua;

/** Decides what to do with an INVITE that starts a new call; called on the call's event loop, must not block. */
@FunctionalInterface
public interface InboundCallHandler {
    void onInvite(InboundCall call);
}
