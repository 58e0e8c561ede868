package io.trunkline.bench.load;

import java.util.Map;

/**
 * What a load run measured. Setup latencies are INVITE-sent to 200-received; dial-to-INVITE latencies are from
 * {@code Engine.dial()} to the INVITE handed to the transport (engine path only, else 0). All in microseconds.
 *
 * @param achievedCps       calls started per second over the sending window
 * @param cpuMillis         process CPU time (all threads) over the run
 * @param leftoverCalls     calls, dialogs, transactions and queued calls still live at the end (0 after a clean run)
 */
public record LoadReport(String path, int callsRequested, int callsStarted, int completed, Map<String, Integer> failuresByCause,
                         double offeredCps, double achievedCps, double wallSeconds, long retransmissions,
                         long p50Micros, long p99Micros, long maxMicros,
                         long dialToInviteP50Micros, long dialToInviteP99Micros, long dialToInviteMaxMicros,
                         long cpuMillis, double cpuMicrosPerCall,
                         int leftoverCalls, int leftoverDialogs, int leftoverTransactions, int leftoverQueued) {
    public int failures() {
        return failuresByCause.values().stream().mapToInt(Integer::intValue).sum();
    }
}
