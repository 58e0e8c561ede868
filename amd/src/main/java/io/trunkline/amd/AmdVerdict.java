package io.trunkline.amd;

/** What answered the call. */
public enum AmdVerdict {
    /** A person: a short greeting, then waiting for the caller. */
    HUMAN,
    /** An answering machine, voicemail or IVR. */
    MACHINE,
    /** Nothing was said within the initial silence (dead air). */
    SILENCE,
    /** No rule decided within the machine detection time. */
    NOT_SURE
}
