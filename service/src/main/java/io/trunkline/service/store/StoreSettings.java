package io.trunkline.service.store;

import java.nio.file.Path;

/**
 * Where the store lives: an SQLite file (the embedded default) or a PostgreSQL database.
 *
 * @param sqlite   the SQLite database file, or null for PostgreSQL
 * @param jdbcUrl  {@code jdbc:postgresql://host:port/db}, or null for SQLite
 * @param password never logged, never in an error message
 * @param poolSize connections in the PostgreSQL pool, 1..200
 */
public record StoreSettings(Path sqlite, String jdbcUrl, String user, String password, int poolSize) {
    public StoreSettings {
        if ((sqlite == null) == (jdbcUrl == null)) throw new IllegalArgumentException("store: exactly one of sqlite and postgres is required");
        if (poolSize < 1 || poolSize > 200) throw new IllegalArgumentException("store.pool_size: must be 1..200, got " + poolSize);
    }

    public static StoreSettings sqlite(Path file) { return new StoreSettings(file, null, null, null, 1); }

    public static StoreSettings postgres(String jdbcUrl, String user, String password, int poolSize) {
        return new StoreSettings(null, jdbcUrl, user, password, poolSize);
    }

    public boolean isPostgres() { return jdbcUrl != null; }

    @Override
    public String toString() { // the password stays out of logs
        return isPostgres() ? "postgres " + jdbcUrl + " (user " + user + ", pool " + poolSize + ")" : "sqlite " + sqlite;
    }
}
