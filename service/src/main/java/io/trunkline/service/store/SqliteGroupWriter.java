package io.trunkline.service.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * SQLite's one writer, with group commit: writes that arrive while a transaction is being committed wait for the
 * next one and share it, each in a savepoint of its own, so one that fails is rolled back alone. A caller returns
 * only once its transaction has committed, as with one transaction per write; the gain is that a busy service pays
 * one commit for many writes instead of queueing every journal entry, claim and acceptance behind the one before.
 */
final class SqliteGroupWriter implements AutoCloseable {
    /** Writes in one transaction at the most, so one commit cannot keep its first caller waiting long. */
    private static final int MAX_BATCH = 256;

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private record Pending<T>(String operation, Work<T> work, CompletableFuture<T> done) {}

    private final Connection connection;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>(100_000);
    private final Thread thread;
    private volatile boolean open = true;

    SqliteGroupWriter(Connection connection) {
        this.connection = connection;
        this.thread = new Thread(this::run, "store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    <T> T write(String operation, Work<T> work) {
        if (!open) throw new StoreException(operation + " failed: the store is closed");
        Pending<T> p = new Pending<>(operation, work, new CompletableFuture<>());
        try {
            queue.put(p);
            if (!open && queue.remove(p)) throw new StoreException(operation + " failed: the store is closed");
            return p.done.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(operation + " interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StoreException(operation + " failed: no commit within 60 s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException s) throw new StoreException(operation, s);
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new StoreException(operation + " failed: " + e.getCause());
        }
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (open || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        for (Pending<?> left; (left = queue.poll()) != null; ) left.done().completeExceptionally(new SQLException("the store is closed"));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void commit(List<Pending<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        try (Statement tx = connection.createStatement()) {
            // IMMEDIATE: take the write lock first, so another process's writer makes us wait rather than fail
            tx.execute("BEGIN IMMEDIATE");
            try {
                for (int i = 0; i < batch.size(); i++) {
                    tx.execute("SAVEPOINT w");
                    try {
                        results[i] = batch.get(i).work().run(connection);
                        tx.execute("RELEASE w");
                    } catch (SQLException | RuntimeException | Error e) {
                        tx.execute("ROLLBACK TO w");
                        tx.execute("RELEASE w");
                        failures[i] = e;
                    }
                }
                tx.execute("COMMIT");
            } catch (SQLException e) {
                try {
                    tx.execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // the transaction is gone either way; every write in it is reported failed below
                }
                throw e;
            }
        } catch (SQLException e) {
            for (Pending<?> p : batch) p.done().completeExceptionally(e);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture f = batch.get(i).done();
            if (failures[i] != null) f.completeExceptionally(failures[i]);
            else f.complete(results[i]);
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            thread.join(5000);
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException ignored) {
            // closing: what was committed is on disk
        }
    }
}
