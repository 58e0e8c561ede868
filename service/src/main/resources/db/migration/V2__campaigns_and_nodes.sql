-- Campaigns, their recipients, the do-not-call list, and the dialer nodes sharing one database.

-- the node that holds a dispatched call (it alone journals it); the campaign and recipient a call was made for
ALTER TABLE calls ADD COLUMN node_id TEXT;
ALTER TABLE calls ADD COLUMN campaign_id TEXT;
ALTER TABLE calls ADD COLUMN recipient_line BIGINT;
-- a hangup asked of another node than the one holding the call: the holder sees it and hangs up
ALTER TABLE calls ADD COLUMN hangup_requested INTEGER NOT NULL DEFAULT 0;
-- a call dispatched before nodes existed belonged to the one process there was: whoever starts next adopts it
UPDATE calls SET node_id = 'before-nodes' WHERE ended = 0 AND dispatched_at IS NOT NULL;
CREATE INDEX calls_node ON calls (node_id, ended);
CREATE INDEX calls_campaign ON calls (campaign_id, created_at);

CREATE TABLE nodes (
    id           TEXT   NOT NULL PRIMARY KEY,
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);

CREATE TABLE campaigns (
    id           TEXT   NOT NULL PRIMARY KEY,
    seq          BIGINT NOT NULL,
    api_key_id   TEXT   NOT NULL,
    name         TEXT   NOT NULL,
    status       TEXT   NOT NULL,             -- scheduled, running, paused, completed, cancelled
    settings     TEXT   NOT NULL,             -- the normalised settings, as JSON
    created_at   BIGINT NOT NULL,
    started_at   BIGINT,
    paused_at    BIGINT,
    completed_at BIGINT,
    import_lease BIGINT,                      -- an import is running until then (wall clock): not complete before it ends
    calling      INTEGER NOT NULL DEFAULT 0,  -- recipients calling or settling: kept by claim and settle, not counted
    updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX campaigns_seq ON campaigns (seq);
CREATE INDEX campaigns_status ON campaigns (status);
INSERT INTO counters (name, value) VALUES ('campaigns', 0);

CREATE TABLE recipients (
    campaign_id TEXT    NOT NULL,
    line        BIGINT  NOT NULL,             -- the CSV line (or JSON index) it came from: its id in the campaign
    phone       TEXT    NOT NULL,             -- E.164
    zones       TEXT    NOT NULL,             -- IANA zones, comma-separated: the window must be open in all of them
    variables   TEXT,                         -- JSON object of the other columns
    status      TEXT    NOT NULL,             -- pending, calling, settling (its call ended), done, failed, dnc, cancelled
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     BIGINT,                       -- pending: not dialled before this (its window opens, a retry is due)
    outcome     TEXT,
    call_id     TEXT,                         -- the latest call
    calls       TEXT,                         -- every call made for it, comma-separated
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (campaign_id, line)
);
CREATE UNIQUE INDEX recipients_phone ON recipients (campaign_id, phone);
-- the scheduler's one read: a campaign's pending recipients, soonest first
CREATE INDEX recipients_due ON recipients (campaign_id, status, next_at, line);
CREATE INDEX recipients_call ON recipients (call_id);

-- one row per ended campaign call: outcomes, and the abandoned-call rate over the last 30 days
CREATE TABLE campaign_outcomes (
    call_id     TEXT    NOT NULL PRIMARY KEY,
    campaign_id TEXT    NOT NULL,
    ended_at    BIGINT  NOT NULL,
    outcome     TEXT    NOT NULL,
    human       INTEGER NOT NULL,             -- answered by a person (or nobody could tell)
    abandoned   INTEGER NOT NULL              -- a person answered and nobody spoke to them within 2 s of their greeting
);
CREATE INDEX campaign_outcomes_campaign ON campaign_outcomes (campaign_id, ended_at);

CREATE TABLE dnc (
    phone    TEXT   NOT NULL PRIMARY KEY,     -- E.164
    source   TEXT   NOT NULL,
    added_at BIGINT NOT NULL
);
