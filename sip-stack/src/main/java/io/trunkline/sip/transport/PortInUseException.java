package io.trunkline.sip.transport;

/** A port the configuration names is already bound by another socket (another process, or a forgotten one). */
public final class PortInUseException extends IllegalStateException {
    public PortInUseException(String message) {
        super(message);
    }
}
