package io.trunkline.bench.load;

import java.util.Map;

/**
 * What a load run measured. Latencies are INVITE-sent to 200-received, in microseconds.
 *
 * @param achievedCps       calls started per second over the sending window
 * @param cpuMillis         process CPU time (all threads) over the run
 * @param leftoverCalls     calls, dialogs and transactions still live at the end (0 after a clean run)
 */
public record LoadReport(int callsRequested, int callsStarted, int completed, Map<String, Integer> failuresByCause,
                         double offeredCps, double achievedCps, double wallSeconds, long retransmissions,
                         long p50Micros, long p99Micros, long maxMicros, long cpuMillis, double cpuMicrosPerCall,
                         int leftoverCalls, int leftoverDialogs, int leftoverTransactions) {
    public int failures() {
        return failuresByCause.values().stream().mapToInt(Integer::intValue).sum();
    }
}
