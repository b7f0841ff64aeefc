package io.etcetera.kernel.raft;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.pb.ConfState;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.raft.pb.MessageType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A deterministic in-memory cluster for scenario tests: every Ready is persisted and applied at
 * once, messages go through one FIFO queue, and tests cut links or drop messages by rule.
 */
final class TestCluster {

    static final int ELECTION_TIMEOUT_TICKS = 10;

    final TreeMap<Long, RaftNode> nodes = new TreeMap<>();
    final Map<Long, List<String>> applied = new HashMap<>();
    final Map<Long, List<ReadState>> reads = new HashMap<>();
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final Set<Long> isolated = new HashSet<>();
    private final List<Predicate<Message>> dropRules = new ArrayList<>();
    private final boolean preVote;
    private final boolean checkQuorum;

    private TestCluster(boolean preVote, boolean checkQuorum) {
        this.preVote = preVote;
        this.checkQuorum = checkQuorum;
    }

    /** A fresh cluster of members 1..size, pre-vote and check-quorum on. */
    static TestCluster of(int size) {
        return of(size, true, true);
    }

    static TestCluster of(int size, boolean preVote, boolean checkQuorum) {
        TestCluster cluster = new TestCluster(preVote, checkQuorum);
        List<Long> peers = new ArrayList<>();
        for (long id = 1; id <= size; id++) {
            peers.add(id);
        }
        for (long id : peers) {
            cluster.nodes.put(id, RaftNode.bootstrap(cluster.config(id), peers));
        }
        cluster.stabilize();
        return cluster;
    }

    RaftConfig config(long id) {
        return new RaftConfig(id, ELECTION_TIMEOUT_TICKS, 1, 42 + id, preVote, checkQuorum, 1024 * 1024, 256);
    }

    RaftNode node(long id) {
        return nodes.get(id);
    }

    /** Adds a member that will join through a membership change: empty log, no membership yet. */
    RaftNode addJoiner(long id) {
        RaftNode node = RaftNode.restart(config(id), new MemoryStorage(), ConfState.getDefaultInstance(), 0);
        nodes.put(id, node);
        return node;
    }

    /** {@code id} campaigns and the cluster settles. */
    TestCluster elect(long id) {
        node(id).campaign();
        stabilize();
        return this;
    }

    void propose(long id, String data) {
        node(id).propose(List.of(data.getBytes(StandardCharsets.UTF_8)));
        stabilize();
    }

    void isolate(long id) {
        isolated.add(id);
    }

    void heal() {
        isolated.clear();
        dropRules.clear();
    }

    void drop(Predicate<Message> rule) {
        dropRules.add(rule);
    }

    void tick(long id, int ticks) {
        for (int i = 0; i < ticks; i++) {
            node(id).tick();
            stabilize();
        }
    }

    /** Ticks every member {@code ticks} times, settling after each round. */
    void tickAll(int ticks) {
        for (int i = 0; i < ticks; i++) {
            for (RaftNode node : nodes.values()) {
                node.tick();
            }
            stabilize();
        }
    }

    /** Handles every Ready and delivers every message until nothing moves. */
    void stabilize() {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (RaftNode node : nodes.values()) {
                moved |= drain(node);
            }
            while (!queue.isEmpty()) {
                Message m = queue.poll();
                RaftNode to = nodes.get(m.getTo());
                if (to != null) {
                    to.step(m);
                    drain(to);
                }
                moved = true;
            }
        }
    }

    private boolean drain(RaftNode node) {
        boolean any = false;
        while (node.hasReady()) {
            any = true;
            Ready ready = node.ready();
            for (Message m : ready.messages()) {
                if (!isolated.contains(m.getFrom()) && !isolated.contains(m.getTo())
                        && dropRules.stream().noneMatch(rule -> rule.test(m))) {
                    queue.add(m);
                }
            }
            for (Entry e : ready.committedEntries()) {
                if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()) {
                    applied.computeIfAbsent(node.id(), k -> new ArrayList<>()).add(e.getData().toStringUtf8());
                }
            }
            reads.computeIfAbsent(node.id(), k -> new ArrayList<>()).addAll(ready.readStates());
            node.advance(ready);
        }
        return any;
    }

    List<String> applied(long id) {
        return applied.getOrDefault(id, List.of());
    }

    List<ReadState> reads(long id) {
        return reads.getOrDefault(id, List.of());
    }

    static ByteString ctx(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static boolean is(Message m, MessageType type) {
        return m.getType() == type;
    }
}
