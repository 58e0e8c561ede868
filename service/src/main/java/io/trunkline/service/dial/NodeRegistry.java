package io.trunkline.service.dial;

import io.trunkline.engine.Engine;
import io.trunkline.service.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * This node's place among the dialer nodes sharing one database: it heartbeats, adopts the calls of nodes that stop
 * heartbeating (and ends or requeues them by the crash rules), and sets this node's share of each trunk's CPS.
 *
 * <p>Why a share per node, not a count in PostgreSQL per INVITE: the carrier polices a sliding second, and each
 * node's pacer already holds one exactly, on the wire and without a round trip to the database per call. With N
 * live nodes each holds CPS/N, so their sum never passes the trunk's limit. The only moments the sum could pass it
 * are when N changes: a node that joins waits two heartbeats and a second before it dials, by which time the others
 * have seen it, lowered their share, and a second has passed under the lower rate; a node that dies is dialling
 * nothing, so the others raise their share (after its lease ends) without risk. The cost: CPS/N is rounded down,
 * and a trunk with fewer CPS than nodes gets one per node.
 */
public final class NodeRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
    public static final Duration HEARTBEAT = Duration.ofSeconds(1);
    public static final Duration LEASE = Duration.ofSeconds(10); // ten heartbeats: a node starved of CPU or of pool connections for a few seconds is not taken for dead
    private static final Duration JOIN_WAIT = HEARTBEAT.multipliedBy(2).plusMillis(1100);

    private final NodeStore nodes;
    private final Engine engine;
    private final CallDispatcher dispatcher;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int live = 1;
    private volatile long readyAtNanos;
    private volatile List<NodeStore.Node> lastSeen = List.of();

    public NodeRegistry(NodeStore nodes, Engine engine, CallDispatcher dispatcher) {
        this.nodes = nodes;
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.thread = new Thread(this::run, "node-heartbeat");
        thread.setDaemon(true);
    }

    /**
     * Joins: the first heartbeat, this node's shares, and the adoption of calls that dead nodes (or this node's own
     * earlier life) left. Run before the dispatcher's recovery and start.
     */
    public void join() {
        Instant now = Instant.now();
        nodes.heartbeat(now);
        int adopted = nodes.adoptDead(now.minus(LEASE)).size(); // the dispatcher's recovery then takes them as its own
        if (adopted > 0) log.info("adopted {} unended calls of nodes that stopped", adopted);
        refresh(now);
        readyAtNanos = System.nanoTime() + (live > 1 ? JOIN_WAIT.toNanos() : 0);
        if (live > 1) log.info("node {} joins {} other nodes; dialling in {} ms, once they have lowered their shares", nodes.node(), live - 1, JOIN_WAIT.toMillis());
        thread.start();
    }

    /** Whether this node may dial: it has waited for the others to make room for it. */
    public boolean ready() {
        return System.nanoTime() - readyAtNanos >= 0;
    }

    /** Live nodes now, this one included. */
    public int liveNodes() { return live; }

    public List<NodeStore.Node> nodes() { return lastSeen; }

    public String node() { return nodes.node(); }

    private void run() {
        while (running) {
            try {
                java.util.concurrent.locks.LockSupport.parkNanos(this, HEARTBEAT.toNanos());
                if (!running) break;
                Instant now = Instant.now();
                if (!nodes.heartbeat(now)) {
                    // our row was gone: another node took us for dead and adopted our calls (its writes now win)
                    log.error("node {} was taken for dead (no heartbeat for {} s): its calls went to another node; rejoining", nodes.node(), LEASE.toSeconds());
                    readyAtNanos = System.nanoTime() + JOIN_WAIT.toNanos();
                }
                refresh(now);
                List<String> adopted = nodes.adoptDead(now.minus(LEASE));
                if (!adopted.isEmpty()) {
                    // only these: a call this node claimed a moment ago is not yet in its engine, and is not lost
                    int ended = dispatcher.recover(adopted);
                    log.warn("adopted the calls of a node that stopped heartbeating; {} that were in flight there ended", ended);
                    refresh(now);
                }
            } catch (RuntimeException e) {
                log.error("heartbeat failed: {}", e.toString());
            }
        }
    }

    private void refresh(Instant now) {
        List<NodeStore.Node> seen = nodes.live(now.minus(LEASE));
        lastSeen = seen;
        int n = Math.max(1, nodes.shared() ? seen.size() : 1);
        if (n != live || now.getEpochSecond() % 30 == 0) log.debug("{} live nodes", n);
        live = n;
        for (Engine.TrunkStats t : engine.trunkStats()) engine.setTrunkShare(t.name(), Math.max(1, t.cps() / n));
    }

    /** Stops heartbeating and leaves the table: run after the dispatcher has drained. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        java.util.concurrent.locks.LockSupport.unpark(thread);
        thread.join(3000);
        try {
            nodes.leave();
        } catch (RuntimeException e) {
            log.warn("leaving the node table failed (the others adopt this node after its lease): {}", e.toString());
        }
    }
}
