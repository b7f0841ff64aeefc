package io.etcetera.kernel.raft.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Seeded simulations of 3- and 5-member clusters under message loss, duplication, reordering,
 * partitions, crashes with loss of unsynced state, membership changes and leader transfers;
 * each seed checks Raft's safety properties after every step and liveness once the faults stop.
 *
 * <p>A failing seed prints a one-line reproduction; {@code -Draft.sim.seed=<seed>} (with
 * {@code -Draft.sim.nodes=<3|5>}) runs just that seed, which replays exactly.
 */
class RaftSimulationTest {

    /** Seeds per cluster size in a normal test run. */
    static final int SEEDS_PER_SIZE = 250;
    /** Fault-injecting steps per seed, before the liveness check. */
    static final int STEPS_PER_SEED = 12_000;
    static final int[] CLUSTER_SIZES = {3, 5};

    @TestFactory
    Stream<DynamicTest> safetyAndLivenessUnderFaults() {
        String onlySeed = System.getProperty("raft.sim.seed");
        List<DynamicTest> tests = new ArrayList<>();
        if (onlySeed != null && !onlySeed.isBlank()) {
            int size = Integer.parseInt(System.getProperty("raft.sim.nodes", "3"));
            long seed = Long.parseLong(onlySeed);
            tests.add(DynamicTest.dynamicTest("seed " + seed + ", " + size + " members", () -> runSeed(seed, size)));
            return tests.stream();
        }
        for (int size : CLUSTER_SIZES) {
            for (long seed = 1; seed <= SEEDS_PER_SIZE; seed++) {
                long s = seed;
                tests.add(DynamicTest.dynamicTest("seed " + s + ", " + size + " members", () -> runSeed(s, size)));
            }
        }
        return tests.stream();
    }

    /**
     * The faults the safety checks are meant to survive do happen: over a few seeds, leaders crash
     * between sending entries and persisting them, followers install snapshots, and membership
     * changes are applied.
     */
    @Test
    void theInjectedFaultsOccur() {
        long leaderCrashes = 0;
        long snapshots = 0;
        long membershipChanges = 0;
        for (long seed = 1; seed <= 10; seed++) {
            Simulation simulation = new Simulation(seed, 3);
            simulation.run(STEPS_PER_SEED);
            leaderCrashes += simulation.leaderCrashesDuringFsync();
            snapshots += simulation.snapshotsInstalled();
            membershipChanges += simulation.membershipChangesApplied();
        }
        assertTrue(leaderCrashes > 0, "no leader crashed between send and fsync");
        assertTrue(snapshots > 0, "no snapshot installed");
        assertTrue(membershipChanges > 0, "no membership change applied");
    }

    static void runSeed(long seed, int size) {
        Simulation simulation = null;
        try {
            simulation = new Simulation(seed, size);
            simulation.run(STEPS_PER_SEED);
            simulation.converge();
        } catch (RuntimeException | AssertionError e) {
            String reproduce = "reproduce: mvn -B -o -q -pl kernel -am verify -Dtest=RaftSimulationTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Draft.sim.seed=" + seed + " -Draft.sim.nodes=" + size;
            System.err.println(reproduce);
            throw new AssertionError(reproduce + "\n" + e + (simulation == null ? "" : "\n" + simulation.describe()), e);
        }
    }
}
