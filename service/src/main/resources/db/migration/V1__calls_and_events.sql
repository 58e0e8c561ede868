-- One schema for SQLite and PostgreSQL: TEXT, BIGINT and INTEGER only, instants as epoch milliseconds.

CREATE TABLE calls (
    seq           BIGINT  NOT NULL,           -- insertion order, assigned by the store; cursors page on it
    id            TEXT    NOT NULL PRIMARY KEY,
    status        TEXT    NOT NULL,
    from_number   TEXT    NOT NULL,
    to_number     TEXT    NOT NULL,
    api_key_id    TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    not_before    BIGINT,
    not_after     BIGINT,
    request       TEXT    NOT NULL,
    resource      TEXT    NOT NULL,
    dispatched_at BIGINT,
    ended         INTEGER NOT NULL DEFAULT 0,
    updated_at    BIGINT  NOT NULL
);
CREATE UNIQUE INDEX calls_seq ON calls (seq);
-- the waiting calls, oldest first: what claimDue and pendingCount read
CREATE INDEX calls_waiting ON calls (ended, dispatched_at, seq);
CREATE INDEX calls_status ON calls (status, seq);
CREATE INDEX calls_to ON calls (to_number, seq);
CREATE INDEX calls_from ON calls (from_number, seq);

CREATE TABLE idempotency (
    key          TEXT   NOT NULL PRIMARY KEY,
    request_hash TEXT   NOT NULL,
    response     TEXT   NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE call_events (
    call_id         TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    type            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    url             TEXT,
    api_key_id      TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    delivered_at    BIGINT,
    abandoned       INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    pending         INTEGER NOT NULL,         -- 1 until delivered or abandoned: the outbox reads only these
    PRIMARY KEY (call_id, seq)
);
CREATE INDEX call_events_pending ON call_events (pending, next_attempt_at);

-- block-reserved sequence numbers (UPDATE ... RETURNING works on both databases)
CREATE TABLE counters (
    name  TEXT   NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('calls', 0);
