package io.etcetera.kernel.raft.sim;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.ProposalDroppedException;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.Ready;
import io.etcetera.kernel.raft.ReadState;
import io.etcetera.kernel.raft.StateType;
import io.etcetera.kernel.raft.pb.ConfChange;
import io.etcetera.kernel.raft.pb.ConfChangeType;
import io.etcetera.kernel.raft.pb.ConfState;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.raft.pb.MessageType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A whole cluster in one thread, driven by one seed: each step delivers a message, ticks a
 * member, proposes, reads, crashes or restarts a member, changes the partition, changes the
 * membership or transfers leadership. Every choice comes from the seed, so a failing seed
 * replays exactly. {@link SafetyChecker} checks Raft's safety properties as it goes;
 * {@link #converge()} checks liveness once the faults stop.
 *
 * <p>Each member handles its Ready as a real one does: persist (synced or not) and send — a
 * leader sends first and may crash before its fsync completes, a follower persists first — then
 * apply and advance; then it may take a snapshot and compact its log.
 */
final class Simulation {

    static final int ELECTION_TIMEOUT_TICKS = 10;
    static final int HEARTBEAT_TICKS = 1;
    /** Small, so that catching a follower up takes many MsgApps. */
    static final long MAX_SIZE_PER_MSG_BYTES = 256;
    /** Small, so that the inflight window fills. */
    static final int MAX_INFLIGHT_MESSAGES = 4;
    /** Entries applied between two snapshots of a member. */
    static final long SNAPSHOT_INTERVAL_ENTRIES = 40;
    /** Entries kept behind a snapshot for slow followers; older ones need the snapshot. */
    static final long SNAPSHOT_CATCH_UP_ENTRIES = 10;
    static final double LOSS_PROBABILITY = 0.05;
    static final double DUPLICATE_PROBABILITY = 0.02;
    static final double REORDER_PROBABILITY = 0.2;
    static final int MIN_VOTERS = 3;
    static final int MAX_VOTERS = 5;
    /** The most members ever created in one run, joiners included. */
    static final int MAX_MEMBERS_CREATED = 12;
    /** Rounds (every member ticked once, every message delivered) allowed to converge. */
    static final int CONVERGE_ROUNDS = 400;
    /** A delivery step delivers between one and this many messages. */
    static final int MAX_DELIVERIES_PER_STEP = 4;
    /** Chance (per mille) that a leader crashes after sending a Ready's entries, before its fsync. */
    static final int CRASH_DURING_LEADER_FSYNC_PER_MILLE = 5;

    private final long seed;
    private final SplittableRandom random;
    private final SimNetwork network;
    private final SafetyChecker checker = new SafetyChecker();
    private final TreeMap<Long, SimNode> nodes = new TreeMap<>();
    /** Members shut down after applying their own removal, as etcd does; never restarted. */
    private final Set<Long> removed = new HashSet<>();
    private final Set<Long> everMember = new HashSet<>();
    private long nextId;
    private long counter;
    private long steps;
    private long proposalsDropped;
    private long stepsWithoutLeader;
    private long snapshotsInstalled;
    private long membershipChangesApplied;
    private long leaderCrashesDuringFsync;
    /** Off once the faults stop ({@link #converge()}). */
    private boolean crashesDuringFsync = true;

    Simulation(long seed, int size) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork(random, LOSS_PROBABILITY, DUPLICATE_PROBABILITY, REORDER_PROBABILITY);
        List<Long> peers = new ArrayList<>();
        for (long id = 1; id <= size; id++) {
            peers.add(id);
        }
        for (long id : peers) {
            nodes.put(id, SimNode.bootstrap(id, seed, peers));
            everMember.add(id);
        }
        nextId = size + 1;
        for (SimNode node : nodes.values()) {
            process(node);
        }
    }

    long steps() {
        return steps;
    }

    SafetyChecker checker() {
        return checker;
    }

    void run(int count) {
        for (int i = 0; i < count; i++) {
            step();
        }
    }

    void step() {
        steps++;
        int r = random.nextInt(1000);
        if (r < 700) {
            // Delivering a few at a time keeps the network ahead of what the members send.
            for (int i = random.nextInt(MAX_DELIVERIES_PER_STEP) + 1; i > 0; i--) {
                deliver();
            }
        } else if (r < 860) {
            randomAlive().ifPresent(this::tick);
        } else if (r < 940) {
            randomAlive().ifPresent(this::propose);
        } else if (r < 970) {
            randomAlive().ifPresent(this::readIndex);
        } else if (r < 972) {
            crash();
        } else if (r < 976) {
            restart();
        } else if (r < 979) {
            changePartition();
        } else if (r < 995) {
            changeMembership();
        } else {
            transferLeadership();
        }
        checkLeaders();
        if (leader() == null) {
            stepsWithoutLeader++;
        }
    }

    /** Leaders that crashed after sending a Ready's entries and before persisting them. */
    long leaderCrashesDuringFsync() {
        return leaderCrashesDuringFsync;
    }

    long snapshotsInstalled() {
        return snapshotsInstalled;
    }

    long membershipChangesApplied() {
        return membershipChangesApplied;
    }

    /** Counters for the run's summary: proposals refused, steps without an alive leader. */
    String stats() {
        return "dropped proposals " + proposalsDropped + ", steps without leader " + stepsWithoutLeader
                + ", applied up to " + checker.maxApplied() + ", reads " + checker.readsAnswered()
                + ", snapshots installed " + snapshotsInstalled + ", membership changes applied " + membershipChangesApplied
                + ", leader crashes during fsync " + leaderCrashesDuringFsync;
    }

    /**
     * Stops the faults (heal, restart everyone, no loss), then requires a leader that commits a
     * new entry on every member of its configuration within {@link #CONVERGE_ROUNDS} rounds.
     */
    void converge() {
        crashesDuringFsync = false;
        network.heal();
        network.faults(0, 0, 0);
        for (SimNode node : nodes.values()) {
            if (!node.alive() && !removed.contains(node.id)) {
                node.restart();
                process(node);
            }
        }
        long markerTerm = -1;
        long target = Long.MAX_VALUE;
        for (int round = 0; round < CONVERGE_ROUNDS; round++) {
            int delivered = 0;
            while (!network.isEmpty() && delivered < 100_000) {
                deliver();
                delivered++;
            }
            for (SimNode node : List.copyOf(nodes.values())) {
                if (node.alive()) {
                    tick(node);
                }
            }
            checkLeaders();
            SimNode leader = leader();
            if (leader == null) {
                continue;
            }
            RaftNode raft = leader.raft();
            if (raft.term() != markerTerm) {
                try {
                    raft.propose(List.of(("marker-" + raft.term()).getBytes(StandardCharsets.UTF_8)));
                    markerTerm = raft.term();
                    target = raft.lastIndex();
                    process(leader);
                } catch (ProposalDroppedException e) {
                    continue;
                }
            }
            if (allMembersApplied(raft.confState(), target)) {
                return;
            }
        }
        throw new AssertionError("Liveness: no leader committed and spread a new entry within " + CONVERGE_ROUNDS
                + " rounds after the faults stopped; " + describe());
    }

    private boolean allMembersApplied(ConfState conf, long target) {
        List<Long> members = new ArrayList<>(conf.getVotersList());
        members.addAll(conf.getLearnersList());
        for (long id : members) {
            SimNode node = nodes.get(id);
            if (node == null || !node.alive() || node.raft().appliedIndex() < target) {
                return false;
            }
        }
        return true;
    }

    String describe() {
        StringBuilder sb = new StringBuilder("seed ").append(seed).append(" step ").append(steps).append(", ")
                .append(network.size()).append(" messages in flight:");
        for (SimNode node : nodes.values()) {
            sb.append("\n  ").append(node.id).append(node.alive() ? " " + node.raft() + " " + node.raft().confState()
                    .toString().replace('\n', ' ') : removed.contains(node.id) ? " removed" : " crashed");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ actions

    private void deliver() {
        Message m = network.take();
        if (m == null) {
            return;
        }
        SimNode to = nodes.get(m.getTo());
        boolean deliverable = to != null && to.alive() && network.connected(m.getFrom(), m.getTo());
        if (deliverable) {
            to.raft().step(m);
            process(to);
        }
        if (m.getType() == MessageType.MsgSnap) {
            SimNode from = nodes.get(m.getFrom());
            if (from != null && from.alive()) {
                from.raft().reportSnapshot(m.getTo(), !deliverable);
                process(from);
            }
        }
    }

    private void tick(SimNode node) {
        node.raft().tick();
        process(node);
    }

    private void propose(SimNode node) {
        byte[] data = ("p" + (++counter)).getBytes(StandardCharsets.UTF_8);
        try {
            node.raft().propose(List.of(data));
        } catch (ProposalDroppedException e) {
            // No leader known, or it is transferring: a client would retry elsewhere.
            proposalsDropped++;
        }
        process(node);
    }

    private void readIndex(SimNode node) {
        ByteString ctx = ByteString.copyFromUtf8("r" + (++counter));
        checker.readRequested(ctx);
        node.raft().readIndex(ctx);
        process(node);
    }

    private void crash() {
        List<SimNode> alive = aliveNodes();
        if (alive.size() <= 1) {
            return;
        }
        alive.get(random.nextInt(alive.size())).crash();
    }

    private void restart() {
        List<SimNode> crashed = new ArrayList<>();
        for (SimNode node : nodes.values()) {
            if (!node.alive() && !removed.contains(node.id)) {
                crashed.add(node);
            }
        }
        if (crashed.isEmpty()) {
            return;
        }
        SimNode node = crashed.get(random.nextInt(crashed.size()));
        node.restart();
        process(node);
    }

    private void changePartition() {
        switch (random.nextInt(4)) {
            case 0 -> network.isolate(List.copyOf(nodes.keySet()).get(random.nextInt(nodes.size())));
            case 1 -> network.partition(List.copyOf(nodes.keySet()));
            default -> network.heal();
        }
    }

    private void changeMembership() {
        SimNode leader = leader();
        if (leader == null) {
            return;
        }
        ConfState conf = leader.raft().confState();
        ConfChange.Builder change = ConfChange.newBuilder();
        int voters = conf.getVotersCount();
        int choice = random.nextInt(4);
        if (choice == 0 && conf.getLearnersCount() > 0 && voters < MAX_VOTERS) {
            // Promote a learner.
            change.setType(ConfChangeType.ConfChangeAddNode).setNodeId(conf.getLearners(random.nextInt(conf.getLearnersCount())));
        } else if (choice <= 1 && voters + conf.getLearnersCount() < MAX_VOTERS && nextId <= MAX_MEMBERS_CREATED) {
            long id = nextId++;
            nodes.put(id, SimNode.joining(id, seed));
            change.setType(random.nextBoolean() ? ConfChangeType.ConfChangeAddLearnerNode : ConfChangeType.ConfChangeAddNode)
                    .setNodeId(id);
        } else if (choice == 2 && voters > MIN_VOTERS) {
            change.setType(ConfChangeType.ConfChangeRemoveNode).setNodeId(conf.getVoters(random.nextInt(voters)));
        } else if (conf.getLearnersCount() > 0) {
            change.setType(ConfChangeType.ConfChangeRemoveNode).setNodeId(conf.getLearners(random.nextInt(conf.getLearnersCount())));
        } else {
            change.setType(ConfChangeType.ConfChangeUpdateNode).setNodeId(conf.getVoters(random.nextInt(voters)));
        }
        try {
            leader.raft().proposeConfChange(change.build());
        } catch (ProposalDroppedException e) {
            // Another change is pending: one at a time.
        }
        process(leader);
    }

    private void transferLeadership() {
        SimNode leader = leader();
        if (leader == null) {
            return;
        }
        List<Long> voters = leader.raft().confState().getVotersList();
        leader.raft().transferLeader(voters.get(random.nextInt(voters.size())));
        process(leader);
    }

    // ------------------------------------------------------------------ Ready handling

    /** Handles every Ready of {@code node}: persist, send, apply, advance, maybe snapshot. */
    private void process(SimNode node) {
        RaftNode raft = node.raft();
        while (raft.hasReady()) {
            Ready ready = raft.ready();
            // As RaftLoop: a leader sends before its fsync, a follower after (Raft thesis §10.2.1).
            boolean leaderSendsFirst = raft.state() == StateType.LEADER;
            List<Long> snapshotsLost = new ArrayList<>();
            if (leaderSendsFirst) {
                send(ready, snapshotsLost);
                if (crashesDuringFsync && !ready.entries().isEmpty()
                        && random.nextInt(1000) < CRASH_DURING_LEADER_FSYNC_PER_MILLE) {
                    // The followers may get entries the leader never persisted.
                    node.crash();
                    leaderCrashesDuringFsync++;
                    return;
                }
            }
            node.disk.write(ready);
            if (!ready.entries().isEmpty()) {
                checker.persisted(node.id, raft.termAt(ready.entries().get(0).getIndex() - 1), ready.entries());
            }
            if (ready.snapshot() != null) {
                node.install(ready.snapshot());
                snapshotsInstalled++;
                checker.installedSnapshot(node.id, ready.snapshot().getMetadata().getIndex(),
                        ready.snapshot().getMetadata().getTerm(), node.stateHash());
            }
            if (!leaderSendsFirst) {
                send(ready, snapshotsLost);
            }
            for (Entry entry : ready.committedEntries()) {
                node.apply(entry);
                if (entry.getType() == EntryType.EntryConfChange && entry.getIndex() > 5) {
                    membershipChangesApplied++;
                }
                checker.applied(node.id, entry, node.stateHash());
            }
            for (ReadState read : ready.readStates()) {
                checker.readAnswered(node.id, read.index(), read.requestCtx());
            }
            boolean becameLeader = ready.softState() != null && ready.softState().state() == StateType.LEADER;
            raft.advance(ready);
            if (becameLeader && raft.state() == StateType.LEADER) {
                checker.newLeader(raft);
            }
            checker.committed(raft.commitIndex());
            node.maybeSnapshot();
            for (long to : snapshotsLost) {
                raft.reportSnapshot(to, true);
            }
        }
        noteMembership(node);
    }

    /** Sends the Ready's messages; adds to {@code snapshotsLost} the members a MsgSnap was lost to. */
    private void send(Ready ready, List<Long> snapshotsLost) {
        for (Message m : ready.messages()) {
            if (!network.send(m) && m.getType() == MessageType.MsgSnap) {
                snapshotsLost.add(m.getTo());
            }
        }
    }

    /** A member that applied its own removal shuts down, as an etcd member does. */
    private void noteMembership(SimNode node) {
        ConfState conf = node.raft().confState();
        boolean member = conf.getVotersList().contains(node.id) || conf.getLearnersList().contains(node.id);
        if (member) {
            everMember.add(node.id);
        } else if (everMember.contains(node.id)) {
            removed.add(node.id);
            node.crash();
        }
    }

    private void checkLeaders() {
        for (SimNode node : nodes.values()) {
            if (node.alive() && node.raft().state() == StateType.LEADER) {
                checker.leader(node.raft());
            }
        }
    }

    /** The alive leader of the highest term, or {@code null}. */
    private SimNode leader() {
        SimNode best = null;
        for (SimNode node : nodes.values()) {
            if (node.alive() && node.raft().state() == StateType.LEADER
                    && (best == null || node.raft().term() > best.raft().term())) {
                best = node;
            }
        }
        return best;
    }

    private List<SimNode> aliveNodes() {
        List<SimNode> alive = new ArrayList<>();
        for (SimNode node : nodes.values()) {
            if (node.alive()) {
                alive.add(node);
            }
        }
        return alive;
    }

    private java.util.Optional<SimNode> randomAlive() {
        List<SimNode> alive = aliveNodes();
        return alive.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(alive.get(random.nextInt(alive.size())));
    }
}
