package io.etcetera.kernel.raft.sim;

import io.etcetera.kernel.raft.pb.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded, lossy network between simulated members: a message may be lost or duplicated when
 * sent, is delivered out of order, and is dropped at delivery when a partition separates its
 * ends. Every choice comes from the simulation's random source, so a seed replays exactly.
 */
final class SimNetwork {

    /** The most messages in flight; beyond it the oldest is dropped (a full socket buffer). */
    static final int MAX_IN_FLIGHT_MESSAGES = 4_096;

    private final SplittableRandom random;
    private final List<Message> inFlight = new ArrayList<>();
    /** Partition group of each member; members in different groups cannot talk. Absent = group 0. */
    private final Map<Long, Integer> groups = new HashMap<>();
    private double lossProbability;
    private double duplicateProbability;
    private double reorderProbability;

    SimNetwork(SplittableRandom random, double lossProbability, double duplicateProbability, double reorderProbability) {
        this.random = random;
        faults(lossProbability, duplicateProbability, reorderProbability);
    }

    void faults(double loss, double duplicate, double reorder) {
        this.lossProbability = loss;
        this.duplicateProbability = duplicate;
        this.reorderProbability = reorder;
    }

    /** Queues {@code m}; false when it was lost on the way. */
    boolean send(Message m) {
        if (random.nextDouble() < lossProbability) {
            return false;
        }
        enqueue(m);
        if (random.nextDouble() < duplicateProbability) {
            enqueue(m);
        }
        return true;
    }

    private void enqueue(Message m) {
        if (inFlight.size() >= MAX_IN_FLIGHT_MESSAGES) {
            inFlight.remove(0);
        }
        inFlight.add(m);
    }

    int size() {
        return inFlight.size();
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    /** The next message to deliver (usually the oldest, sometimes any), or {@code null}. */
    Message take() {
        if (inFlight.isEmpty()) {
            return null;
        }
        int i = random.nextDouble() < reorderProbability ? random.nextInt(inFlight.size()) : 0;
        return inFlight.remove(i);
    }

    boolean connected(long a, long b) {
        return groups.getOrDefault(a, 0).equals(groups.getOrDefault(b, 0));
    }

    /** Puts each member of {@code members} in a random one of two sides. */
    void partition(List<Long> members) {
        groups.clear();
        for (long id : members) {
            groups.put(id, random.nextInt(2));
        }
    }

    /** Cuts {@code id} off from everybody. */
    void isolate(long id) {
        groups.clear();
        groups.put(id, 1);
    }

    void heal() {
        groups.clear();
    }

    boolean partitioned() {
        return !groups.isEmpty();
    }
}
