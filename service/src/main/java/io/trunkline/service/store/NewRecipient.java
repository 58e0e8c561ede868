package io.trunkline.service.store;

import java.time.Instant;

/** A recipient to import: pending from {@code nextAt} (its window's first opening), unless its number is on the DNC list. */
public record NewRecipient(long line, String phone, String zones, String variables, Instant nextAt) {}
