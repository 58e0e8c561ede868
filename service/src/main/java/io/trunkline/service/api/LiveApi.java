package io.trunkline.service.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.engine.Engine;
import io.trunkline.service.LiveSeries;
import io.trunkline.service.dial.NodeRegistry;
import io.trunkline.service.store.CallStore;
import io.trunkline.service.store.NodeStore;

import java.util.List;

/** {@code GET /v1/live}: what the dashboard draws (trunks, calls by state, nodes, the last ten minutes). */
public final class LiveApi {
    private final Engine engine;
    private final CallStore store;
    private final NodeRegistry nodes;
    private final LiveSeries series;

    public LiveApi(Engine engine, CallStore store, NodeRegistry nodes, LiveSeries series) {
        this.engine = engine;
        this.store = store;
        this.nodes = nodes;
        this.series = series;
    }

    public ApiResponse live() {
        ObjectNode out = CallsApi.JSON.createObjectNode();
        ArrayNode trunks = out.putArray("trunks");
        for (Engine.TrunkStats t : engine.trunkStats()) {
            ObjectNode n = trunks.addObject();
            n.put("name", t.name());
            n.put("cps_limit", t.cps());
            n.put("cps_limit_here", t.cpsNow());
            n.put("cps_used", t.startedLastSecond());
            n.put("concurrency_limit", t.maxConcurrent());
            n.put("calls", t.calls());
            n.put("down", t.down());
        }
        ObjectNode states = out.putObject("calls_by_state");
        for (String s : List.of("queued", "scheduled", "dialing", "ringing", "in-progress")) states.put(s, 0);
        store.unendedByStatus().forEach(states::put);
        ArrayNode ns = out.putArray("nodes");
        for (NodeStore.Node n : nodes.nodes()) {
            ObjectNode o = ns.addObject();
            o.put("id", n.id());
            o.put("heartbeat_at", n.heartbeatAt().toString());
            o.put("this", n.id().equals(nodes.node()));
        }
        ArrayNode points = out.putArray("series");
        for (LiveSeries.Point p : series.last(600)) {
            ObjectNode o = points.addObject();
            o.put("t", p.t().toString());
            o.put("started", p.started());
            for (int i = 0; i < LiveSeries.OUTCOMES.size(); i++) o.put(LiveSeries.OUTCOMES.get(i), p.ended()[i]);
        }
        return new ApiResponse(200, out.toString());
    }
}
