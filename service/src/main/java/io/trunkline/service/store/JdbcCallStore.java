package io.trunkline.service.store;

/** Placeholder until the JDBC store lands. */
public abstract class JdbcCallStore implements CallStore {
    public static CallStore open(StoreSettings s) { throw new UnsupportedOperationException(); }
}
