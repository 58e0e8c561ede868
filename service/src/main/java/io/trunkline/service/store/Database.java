package io.trunkline.service.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database under the stores: SQLite (the embedded default) or PostgreSQL, one schema (Flyway,
 * {@code db/migration}), and one way to run a read or a write transaction on either.
 *
 * <p>SQLite takes one writer at a time, so every write goes through one connection with group commit
 * ({@link SqliteGroupWriter}), and reads use a small pool of their own (WAL mode lets them run beside the writer).
 * WAL with {@code synchronous=NORMAL} keeps every committed transaction across a kill of the process; only a power
 * loss may take the last ones. PostgreSQL uses a HikariCP pool for both.
 */
final class Database implements AutoCloseable {
    final boolean postgres;
    private final HikariDataSource pool;
    private final SqliteGroupWriter writer; // SQLite only: the one write connection, with group commit

    private Database(boolean postgres, HikariDataSource pool, SqliteGroupWriter writer) {
        this.postgres = postgres;
        this.pool = pool;
        this.writer = writer;
    }

    static Database open(StoreSettings s) {
        try {
            if (s.isPostgres()) {
                HikariConfig c = new HikariConfig();
                c.setJdbcUrl(s.jdbcUrl());
                c.setUsername(s.user());
                c.setPassword(s.password());
                c.setMaximumPoolSize(s.poolSize());
                c.setAutoCommit(false);
                c.setPoolName("trunkline-store");
                HikariDataSource pool = new HikariDataSource(c);
                try {
                    migrate(pool, s);
                } catch (RuntimeException e) {
                    pool.close();
                    throw e;
                }
                return new Database(true, pool, null);
            }
            Files.createDirectories(s.sqlite().toAbsolutePath().getParent());
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(10_000);
            // a campaign's indexes (a million recipients, their calls) outgrow SQLite's 2 MB default page cache at once,
            // and every claim then reads its pages back through system calls: 64 MB of cache and a mapped file
            config.setCacheSize(-65_536);
            config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(256L << 20));
            SQLiteDataSource sqlite = new SQLiteDataSource(config);
            sqlite.setUrl("jdbc:sqlite:" + s.sqlite().toAbsolutePath());
            migrate(sqlite, s);
            HikariConfig c = new HikariConfig();
            c.setDataSource(sqlite);
            c.setMaximumPoolSize(4);
            c.setAutoCommit(false);
            c.setPoolName("trunkline-store-read");
            HikariDataSource readers = new HikariDataSource(c);
            Connection writer = sqlite.getConnection(); // autocommit: the writer opens each transaction itself
            return new Database(false, readers, new SqliteGroupWriter(writer));
        } catch (SQLException e) {
            throw new StoreException("opening the store (" + s + ")", e);
        } catch (java.io.IOException e) {
            throw new StoreException("opening the store (" + s + "): cannot create " + s.sqlite().getParent());
        } catch (RuntimeException e) {
            if (e instanceof StoreException) throw e;
            // Hikari and Flyway wrap connection failures; their messages name the URL, never the password
            throw new StoreException("opening the store (" + s + ") failed: " + e.getMessage());
        }
    }

    private static void migrate(DataSource ds, StoreSettings s) {
        var flyway = Flyway.configure().dataSource(ds).locations("classpath:db/migration");
        if (s.isPostgres()) {
            String schema = schemaOf(s.jdbcUrl());
            if (schema != null) flyway = flyway.schemas(schema).createSchemas(true);
        }
        flyway.load().migrate();
    }

    private static String schemaOf(String url) {
        int q = url.indexOf("currentSchema=");
        if (q < 0) return null;
        String rest = url.substring(q + "currentSchema=".length());
        int amp = rest.indexOf('&');
        return amp < 0 ? rest : rest.substring(0, amp);
    }

    /** One transaction's work. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** {@code FOR UPDATE SKIP LOCKED} where several processes claim from one database; nothing on SQLite's one writer. */
    String skipLocked() {
        return postgres ? " FOR UPDATE SKIP LOCKED" : "";
    }

    <T> T write(String operation, Work<T> work) {
        if (postgres) {
            try (Connection c = pool.getConnection()) {
                try {
                    T r = work.run(c);
                    c.commit();
                    return r;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw new StoreException(operation, e);
            }
        }
        return writer.write(operation, work::run);
    }

    <T> T read(String operation, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            try {
                return work.run(c);
            } finally {
                c.rollback(); // ends the read transaction, so a pooled connection holds no snapshot
            }
        } catch (SQLException e) {
            throw new StoreException(operation, e);
        }
    }

    @Override
    public void close() {
        if (writer != null) writer.close();
        pool.close();
    }
}
