package io.trunkline.sip.stir;

import io.trunkline.sip.ua.IdentityProvider;

import java.util.List;

/** Plugs a {@link StirSigner} into outbound calls: one fresh PASSporT per INVITE attempt at the given level. */
public record StirIdentityProvider(StirSigner signer, Attestation attestation) implements IdentityProvider {
    public StirIdentityProvider {
        if (!attestation.atMost(signer.strongestAllowed())) {
            throw new IllegalArgumentException("attest " + attestation + " is not allowed for this key (at most " + signer.strongestAllowed() + ")");
        }
    }

    @Override
    public Identity sign(String callingUser, String calledUser) {
        SignedIdentity s = signer.sign(callingUser, List.of(calledUser), attestation, null);
        return new Identity(s.headerValue(), s.iat());
    }
}
