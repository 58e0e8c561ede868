/**
 * The durable call store: every accepted call, its state as it changes, and the outbox of its webhook events.
 *
 * <p>What it does: keeps calls, idempotency records and events in SQL, SQLite by default and PostgreSQL to scale,
 * through one {@link io.trunkline.service.store.CallStore} interface and one set of Flyway migrations. Every write
 * is one transaction, committed before the caller goes on, so an accepted call survives a crash of the process.
 *
 * <p>What it depends on: JDBC (sqlite-jdbc, pgjdbc with HikariCP) and Flyway. It knows nothing of the engine, HTTP or
 * webhook delivery: requests, resources and event payloads are opaque JSON text to it.
 */
package io.trunkline.service.store;
