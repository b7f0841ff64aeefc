package io.etcetera.kernel.server;

import io.etcetera.kernel.ServerConfig;
import io.etcetera.kernel.apply.AppliedIndex;
import io.etcetera.kernel.apply.ApplyLoop;
import io.etcetera.kernel.apply.EntryApplier;
import io.etcetera.kernel.apply.Wait;
import io.etcetera.kernel.lease.LeaseApplier;
import io.etcetera.kernel.lease.LeaseClock;
import io.etcetera.kernel.lease.Lessor;
import io.etcetera.kernel.lease.LessorConfig;
import io.etcetera.kernel.lease.LessorTimer;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.kernel.raft.MemoryStorage;
import io.etcetera.kernel.raft.RaftConfig;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.pb.ConfState;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.HardState;
import io.etcetera.kernel.server.pb.InternalRaftRequest;
import io.etcetera.kernel.server.pb.MemberAttributesRequest;
import io.etcetera.kernel.raft.pb.Snapshot;
import io.etcetera.kernel.snap.Snapshotter;
import io.etcetera.kernel.watch.WatchOptions;
import io.etcetera.kernel.watch.WatchServer;
import io.etcetera.kernel.wal.Wal;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.BackendProvider;
import io.etcetera.spi.transport.PeerStatus;
import io.etcetera.spi.transport.PeerTransport;
import io.etcetera.spi.transport.TransportContext;
import io.etcetera.spi.transport.TransportLimits;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The running core of one member, without its API front ends: backend, lessor, MVCC store, WAL,
 * Raft loop, apply loop and the services built on them (etcd's {@code EtcdServer}).
 *
 * <p>Start: open the backend and the MVCC store; read the identity and the members (stored at
 * the first start from {@code --initial-cluster}); read the store's consistent index (the last
 * applied entry); open the WAL and read the entries after that index, or create the WAL and
 * bootstrap the cluster of the stored members; start the peer transport (more than one member
 * only), the apply and Raft loops; {@link #start} returns once a leader is known and a ReadIndex
 * is applied, which means every entry the WAL held (replayed through the same apply path as live
 * writes) is applied too. The lessor, restored from the backend before the store, is promoted
 * when this member, as leader, applies the empty entry of its term and demoted when it loses
 * leadership; its timer runs until the member closes.
 *
 * <p>A fatal failure of either loop (WAL or backend I/O, an entry that cannot be applied) is
 * logged and reported to the {@code onFatal} callback given to {@link #start}; the owner is
 * expected to close the member. Thread-safe.
 */
public final class Member implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Member.class.getName());

    /** Threads that complete client futures and run linearizable reads. */
    static final int RESPONSE_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** The most responses waiting for a response thread; beyond it the completing thread runs them. */
    static final int MAX_QUEUED_RESPONSES = 65_536;
    /** How long, in ms, {@link #close} waits for queued responses to be handed out. */
    static final long RESPONSE_DRAIN_TIMEOUT_MS = 5_000;
    /** How long, in ms, a member waits before it publishes its attributes again after a failure. */
    static final long PUBLISH_RETRY_MS = 1_000;

    private final MemberIdentity identity;
    private final Backend backend;
    private final Lessor lessor;
    private final MvccStore mvcc;
    private final Wal wal;
    private final Membership membership;
    private final PeerTransport transport;
    private final Proposer proposer;
    private final long requestTimeoutMs;
    private final Wait wait = new Wait();
    private final AppliedIndex appliedIndex;
    private final ApplyLoop applyLoop;
    private final RaftLoop raftLoop;
    private final ThreadPoolExecutor responseExecutor;
    private final KernelServices services;
    private final WatchServer watchServer;
    private final Consumer<Throwable> onFatal;
    private final SnapshotSender snapshotSender;
    private final SnapshotInstaller snapshotInstaller;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final MemberAttributesRequest attributes;
    private volatile LessorTimer lessorTimer;

    private Member(ServerConfig config, MemberIdentity identity, Membership membership, boolean joining,
            Backend backend, Lessor lessor, MvccStore mvcc, Wal wal, Snapshotter snapshotter, RaftNode node,
            long appliedIndex,
            Function<TransportContext, PeerTransport> transports, Consumer<Throwable> onFatal) {
        this.identity = identity;
        this.membership = membership;
        this.backend = backend;
        this.lessor = lessor;
        this.mvcc = mvcc;
        this.wal = wal;
        this.onFatal = onFatal;
        // etcd's ReqTimeout: 5 s plus two election timeouts.
        this.requestTimeoutMs = 5_000 + 2 * config.electionTimeoutMs();
        this.appliedIndex = new AppliedIndex(appliedIndex);
        MembershipApplier membershipApplier = new MembershipApplier(mvcc, membership, wait, this::membershipChanged);
        this.applyLoop = new ApplyLoop(new EntryApplier(mvcc, new LeaseApplier(lessor, mvcc), wait, this::emptyEntryApplied,
                membershipApplier), this.appliedIndex, this::fatal);
        this.raftLoop = new RaftLoop(node, wal, applyLoop::submit, wait, config.heartbeatIntervalMs(),
                lessor::demote, this::fatal);
        raftLoop.removedMembers(membership::isRemoved);
        PeerRequests peerRequests = new PeerRequests();
        this.responseExecutor = newResponseExecutor();
        RequestIdGenerator ids = new RequestIdGenerator(identity.memberId(), System.currentTimeMillis());
        ResponseHeaders headers = new ResponseHeaders(identity, raftLoop::term, mvcc::currentRevision);
        ClusterServer cluster = new ClusterServer(identity.memberId(), membership, headers, raftLoop,
                new ConfChangeProposer(raftLoop, wait, ids, requestTimeoutMs),
                new MembershipChecks(identity.memberId(), config.bootstrap().strictReconfigCheck(), this::isPeerActive),
                this::peerTransport, Clock.systemUTC(), requestTimeoutMs, responseExecutor);
        boolean peers = joining || membership.members().size() > 1;
        this.transport = peers ? transports.apply(new TransportContext(identity.memberId(), identity.clusterId(),
                config.listenPeerUrls(), raftLoop, TransportLimits.defaults(), peerRequests)) : null;
        new MembershipPeerService(identity.clusterId(), membership, cluster::promoteAsLeader).register(peerRequests);
        raftLoop.connect(transport);
        this.proposer = new Proposer(raftLoop, wait, this.appliedIndex, ids, config.maxRequestBytes(), requestTimeoutMs);
        lessor.setProposals(new LessorProposals(proposer));
        this.watchServer = new WatchServer(mvcc, headers::at, WatchOptions.defaults(config.maxRequestBytes()));
        this.snapshotSender = new SnapshotSender(backend, snapshotter, this.appliedIndex, raftLoop);
        snapshotSender.connect(transport);
        this.snapshotInstaller = new SnapshotInstaller(backend, snapshotter, lessor, mvcc, watchServer);
        snapshotInstaller.onInstalled(this::snapshotInstalled);
        raftLoop.snapshots(new RaftSnapshots(snapshotter, wal, config.snapshots(), this.appliedIndex, snapshotSender,
                applyLoop, snapshotInstaller));
        LinearizableReads reads = new LinearizableReads(raftLoop, this.appliedIndex, requestTimeoutMs);
        LeaseServer leaseServer = new LeaseServer(lessor, proposer, reads, headers, ids, responseExecutor,
                () -> raftLoop.lead() == identity.memberId(), transport == null ? null
                        : new LeaseForwarding(transport, raftLoop::lead, requestTimeoutMs, responseExecutor));
        leaseServer.servePeerRequests(peerRequests);
        this.services = KernelServices.of(
                new KvServer(mvcc, proposer, reads, headers, config.maxTxnOps(), applyLoop.inlineWhenIdle(responseExecutor)),
                leaseServer,
                watchServer,
                cluster,
                new MaintenanceServer(headers, backend, raftLoop::lead, raftLoop::commitIndex, raftLoop::term,
                        this.appliedIndex::get, identity.memberId(), membership, raftLoop, config.heartbeatIntervalMs(),
                        requestTimeoutMs),
                () -> membership.current().member(identity.memberId()).map(ClusterMember::isLearner).orElse(false),
                () -> raftLoop.lead() != RaftNode.NONE,
                config.electionTimeoutMs());
        this.attributes = MemberAttributesRequest.newBuilder().setMemberID(identity.memberId()).setName(config.name())
                .addAllClientUrls(config.advertiseClientUrls().stream().map(URI::toString).toList()).build();
    }

    /**
     * Starts a member on {@code dataDir} with the storage engine {@code engine}.
     *
     * @param onFatal told, once, about a failure that stopped the member's loops
     * @throws IOException when the WAL or backend cannot be opened, the WAL is corrupt, or the
     *     member fails before it is ready
     */
    public static Member start(ServerConfig config, BackendProvider engine, DataDir dataDir, Wal.Options walOptions,
            Function<TransportContext, PeerTransport> transports, Consumer<Throwable> onFatal) throws IOException {
        return start(config, engine, dataDir, walOptions, transports, LeaseClock.SYSTEM, onFatal);
    }

    /**
     * {@link #start(ServerConfig, BackendProvider, DataDir, Wal.Options, Function, Consumer)} with
     * the lessor's clock (tests).
     *
     * @param transports creates the peer transport, called only when the cluster has more than
     *     this member
     */
    public static Member start(ServerConfig config, BackendProvider engine, DataDir dataDir, Wal.Options walOptions,
            Function<TransportContext, PeerTransport> transports, LeaseClock leaseClock, Consumer<Throwable> onFatal)
            throws IOException {
        return start(config, engine, dataDir, walOptions, transports, ClusterJoin.UNSUPPORTED, leaseClock, onFatal);
    }

    /**
     * {@link #start(ServerConfig, BackendProvider, DataDir, Wal.Options, Function, LeaseClock, Consumer)}
     * that can join a running cluster ({@code --initial-cluster-state existing}): at the first
     * start such a member asks the peers of {@code --initial-cluster} for the cluster through
     * {@code remotePeers} (etcd's {@code GetClusterFromRemotePeers}), stores what it learnt, and
     * starts Raft with an empty log, which the leader then replicates.
     *
     * @param remotePeers calls a peer before this member has a transport
     *     ({@code PeerTransportProvider.request})
     * @throws IOException also when no peer answers, this member's peer URLs match no member of
     *     the cluster, or this member was removed from its cluster
     */
    public static Member start(ServerConfig config, BackendProvider engine, DataDir dataDir, Wal.Options walOptions,
            Function<TransportContext, PeerTransport> transports, RemotePeers remotePeers,
            LeaseClock leaseClock, Consumer<Throwable> onFatal) throws IOException {
        Backend backend = engine.open(dataDir.backendDir());
        MvccStore mvcc = null;
        Wal wal = null;
        Member member;
        try {
            Snapshotter snapshotter = new Snapshotter(dataDir.snapDir(), walOptions.fileSync());
            // the lessor first: opening the store attaches the stored keys to their leases
            Lessor lessor = Lessor.recover(backend, LessorConfig.defaults(), leaseClock);
            mvcc = new MvccStore(backend, lessor);
            Snapshot snapshot = startingSnapshot(snapshotter, mvcc.consistentIndex());
            if (snapshot != null && mvcc.consistentIndex() < snapshot.getMetadata().getIndex()) {
                // A crash interrupted the install of a snapshot received from the leader: redo it.
                long index = snapshot.getMetadata().getIndex();
                LOG.log(Level.INFO, "backend at consistent index {0,number,#} is behind snapshot {1,number,#}: "
                        + "restoring it from {2}", mvcc.consistentIndex(), index, snapshotter.dbFile(index));
                SnapshotInstaller.restoreBackend(backend, snapshotter.dbFile(index));
                lessor.reload(backend);
                mvcc.reload();
            }
            boolean joining = !Wal.exists(dataDir.walDir()) && !MemberIdentity.isStored(backend)
                    && config.bootstrap().initialClusterState() == ServerConfig.ClusterState.EXISTING;
            MemberIdentity identity = joining
                    ? ClusterJoin.join(config, backend, remotePeers, 5_000 + 2 * config.electionTimeoutMs())
                    : MemberIdentity.loadOrCreate(backend, config);
            Membership membership = Membership.load(backend);
            checkMember(identity, membership);
            List<Long> voters = membership.current().voters().stream().map(ClusterMember::id).toList();
            ConfState confState = confState(membership);
            long applied = mvcc.consistentIndex();
            RaftConfig raftConfig = raftConfig(config, identity.memberId());
            RaftNode node;
            if (Wal.exists(dataDir.walDir())) {
                long snapshotIndex = snapshot == null ? 0 : snapshot.getMetadata().getIndex();
                long snapshotTerm = snapshot == null ? 0 : snapshot.getMetadata().getTerm();
                Wal.Recovered recovered = Wal.open(dataDir.walDir(), snapshotIndex, snapshotTerm, walOptions);
                wal = recovered.wal();
                if (config.bootstrap().forceNewCluster()) {
                    recovered = ForceNewCluster.rewrite(recovered, identity.memberId(), confState);
                }
                node = recovered.lastIndex() == 0 && recovered.hardState().equals(HardState.getDefaultInstance())
                        ? RaftNode.bootstrap(raftConfig, voters)
                        : restart(raftConfig, recovered, snapshot, applied, confState);
                LOG.log(Level.INFO, "restarting member {0} in cluster {1} at term {2,number,#}: applied index {3,number,#}, "
                                + "replaying {4,number,#} WAL entries up to index {5,number,#}",
                        MemberIdentity.toHex(identity.memberId()), MemberIdentity.toHex(identity.clusterId()),
                        recovered.hardState().getTerm(), applied, recovered.entries().size(), recovered.lastIndex());
            } else {
                if (applied != 0) {
                    throw new IOException("the backend in " + dataDir.backendDir() + " has applied up to index "
                            + applied + " but there is no WAL in " + dataDir.walDir());
                }
                wal = Wal.create(dataDir.walDir(), walOptions);
                if (joining) {
                    // No bootstrap entries: the leader replicates the log from index 1.
                    node = RaftNode.restart(raftConfig, MemoryStorage.startingAfter(0, 0),
                            ConfState.getDefaultInstance(), 0);
                    LOG.log(Level.INFO, "member {0} joining existing cluster {1} of {2,number,#} members",
                            MemberIdentity.toHex(identity.memberId()), MemberIdentity.toHex(identity.clusterId()),
                            membership.members().size());
                } else {
                    node = RaftNode.bootstrap(raftConfig, voters);
                    LOG.log(Level.INFO, "starting member {0} in new cluster {1} of {2,number,#} members",
                            MemberIdentity.toHex(identity.memberId()), MemberIdentity.toHex(identity.clusterId()),
                            voters.size());
                }
            }
            member = new Member(config, identity, membership, joining, backend, lessor, mvcc, wal, snapshotter, node,
                    applied,
                    transports, onFatal);
        } catch (IOException | RuntimeException e) {
            closeQuietly(wal, mvcc, backend);
            throw e;
        }
        try {
            member.awaitReady();
        } catch (IOException | RuntimeException e) {
            member.close();
            throw e;
        }
        return member;
    }

    /**
     * The snapshot to restart from: the newest one when its backend dump is kept (an install a
     * crash interrupted, to redo), else the newest at or before the backend's consistent index
     * (the backend's batches are not fsync'd, so after a machine crash it may trail a local
     * snapshot; the WAL still holds the entries after an older one), else none.
     */
    private static Snapshot startingSnapshot(Snapshotter snapshotter, long consistentIndex) throws IOException {
        List<Snapshot> snapshots = snapshotter.loadAll();
        if (!snapshots.isEmpty() && Files.exists(snapshotter.dbFile(snapshots.get(0).getMetadata().getIndex()))
                && snapshots.get(0).getMetadata().getIndex() > consistentIndex) {
            return snapshots.get(0);
        }
        return snapshots.stream().filter(s -> s.getMetadata().getIndex() <= consistentIndex).findFirst().orElse(null);
    }

    /**
     * Raft timing from the flags: one tick per heartbeat interval, the election timeout in whole
     * ticks (etcd's {@code ElectionTicks = election-timeout / heartbeat-interval}).
     */
    private static RaftConfig raftConfig(ServerConfig config, long memberId) {
        int electionTicks = (int) Math.max(2, config.electionTimeoutMs() / config.heartbeatIntervalMs());
        return new RaftConfig(memberId, electionTicks, ThreadLocalRandom.current().nextLong());
    }

    /**
     * A restarted node: the newest snapshot (if any) and the WAL entries after it, the stored
     * members as voters and learners. Raft's applied index is the backend's consistent index, capped to the
     * log: after installing a leader's snapshot the backend may be ahead of the WAL, and the
     * entries up to it that are handed out again are skipped by the apply loop.
     */
    private static RaftNode restart(RaftConfig config, Wal.Recovered recovered, Snapshot snapshot, long consistentIndex,
            ConfState confState) throws IOException {
        MemoryStorage storage = new MemoryStorage();
        if (snapshot != null) {
            storage.applySnapshot(snapshot);
        }
        storage.append(recovered.entries());
        storage.setHardState(recovered.hardState());
        boolean single = confState.getVotersCount() == 1 && confState.getLearnersCount() == 0;
        if (single && consistentIndex > storage.lastIndex()) {
            // Only a leader's snapshot may put the backend ahead of the WAL; a single member has none.
            throw new IOException("the backend has applied up to index " + consistentIndex
                    + " but the WAL ends at index " + storage.lastIndex() + ": the WAL lost entries");
        }
        long applied = Math.max(storage.firstIndex() - 1, Math.min(consistentIndex, storage.lastIndex()));
        if (single) {
            List<Entry> after = recovered.entries().stream().filter(entry -> entry.getIndex() > applied).toList();
            return RaftNode.restart(config, recovered.hardState(), applied, storage.term(applied), after);
        }
        return RaftNode.restart(config, storage, confState, applied);
    }

    /** The voters and learners of {@code membership}, in unsigned id order. */
    private static ConfState confState(Membership membership) {
        ConfState.Builder state = ConfState.newBuilder();
        for (ClusterMember member : membership.members()) {
            if (member.isLearner()) {
                state.addLearners(member.id());
            } else {
                state.addVoters(member.id());
            }
        }
        return state.build();
    }

    /**
     * etcd refuses to start a member removed from its cluster ("the member has been permanently
     * removed from the cluster") or one its cluster does not know.
     */
    private static void checkMember(MemberIdentity identity, Membership membership) throws IOException {
        String id = MemberIdentity.toHex(identity.memberId());
        if (membership.isRemoved(identity.memberId())) {
            throw new IOException("member " + id + " has been permanently removed from the cluster "
                    + MemberIdentity.toHex(identity.clusterId()));
        }
        if (membership.current().member(identity.memberId()).isEmpty()) {
            throw new IOException("member " + id + " is not a member of cluster " + MemberIdentity.toHex(identity.clusterId()));
        }
    }

    /** Every member of the cluster, as the {@code members} bucket holds them, in unsigned id order. */
    public List<ClusterMember> members() {
        return membership.members();
    }

    /** The known leader's id, 0 when there is none. */
    public long leader() {
        return raftLoop.lead();
    }

    /** The commit index as of the Raft loop's last turn. */
    public long commitIndex() {
        return raftLoop.commitIndex();
    }

    /** The backend: sizes for Maintenance.Status. */
    public Backend backend() {
        return backend;
    }

    /** The peer addresses bound, empty for a single member (no peer transport). */
    public List<InetSocketAddress> peerAddresses() {
        return transport == null ? List.of() : transport.boundAddresses();
    }

    /** This member's and its cluster's ids. */
    public MemberIdentity identity() {
        return identity;
    }

    /** The services front ends serve. */
    public EtcdServices services() {
        return services;
    }

    /** The current Raft term. */
    public long term() {
        return raftLoop.term();
    }

    /** The index of the last applied entry. */
    public long appliedIndex() {
        return appliedIndex.get();
    }

    /**
     * Stops the Raft loop (failing proposals it has not taken), lets the apply loop finish what
     * was committed, fails every remaining waiter with {@code etcdserver: server stopped}, then
     * closes the WAL, the store and the backend. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        watchServer.close();
        if (lessorTimer != null) {
            lessorTimer.close();
        }
        lessor.stop();
        raftLoop.close();
        snapshotSender.close();
        if (transport != null) {
            transport.close();
        }
        applyLoop.close();
        wait.failAll();
        appliedIndex.stop();
        responseExecutor.shutdown();
        try {
            if (!responseExecutor.awaitTermination(RESPONSE_DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "responses still queued after {0} ms; dropping them", RESPONSE_DRAIN_TIMEOUT_MS);
                responseExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(wal, mvcc, backend);
    }

    /**
     * Starts the loops and the peer transport, then waits until a leader is known and this member
     * applied everything committed before it became ready (a ReadIndex, retried until it
     * succeeds): reads served afterwards see every earlier write, and a leader's lessor is
     * promoted. A member of a larger cluster waits here until a quorum is up.
     */
    private void awaitReady() throws IOException {
        watchServer.start();
        applyLoop.start();
        try {
            if (transport != null) {
                transport.start();
                for (ClusterMember peer : membership.members()) {
                    if (peer.id() != identity.memberId()) {
                        transport.addPeer(peer.id(), peer.peerUrls());
                    }
                }
            }
            raftLoop.start();
            raftLoop.leaderKnown().get();
            long readIndex = awaitReadIndex();
            appliedIndex.await(readIndex).get();
            LOG.log(Level.INFO, "{0} ready at term {1,number,#}: leader {2}, applied index {3,number,#}",
                    MemberIdentity.toHex(identity.memberId()), raftLoop.term(), MemberIdentity.toHex(raftLoop.lead()),
                    appliedIndex.get());
            lessorTimer = LessorTimer.start(lessor);
            publish();
        } catch (ExecutionException e) {
            throw new IOException("member " + MemberIdentity.toHex(identity.memberId()) + " failed to start", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the member was starting");
        }
    }

    /** A ReadIndex, asking again each request timeout, or when the leader changed, while leadership settles. */
    private long awaitReadIndex() throws InterruptedException, ExecutionException {
        while (true) {
            try {
                return raftLoop.readIndex().get(requestTimeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.log(Level.INFO, "{0} waiting for a read index from leader {1}",
                        MemberIdentity.toHex(identity.memberId()), MemberIdentity.toHex(raftLoop.lead()));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof EtcdException etcd) || etcd.error() != EtcdError.LEADER_CHANGED) {
                    throw e;
                }
            }
        }
    }

    /**
     * Adds {@code hook}, run on the apply thread each time a snapshot from the leader was
     * installed, after the MVCC store and lessor reloaded from the new backend contents.
     */
    public void onSnapshotInstalled(Runnable hook) {
        snapshotInstaller.onInstalled(hook);
    }

    /**
     * Runs on the apply thread after a leader's snapshot replaced the backend: the {@code members}
     * bucket came with it, so the membership view reloads from the backend and the transport's
     * peers follow (a member the snapshot shows removed stops, as on applying its removal).
     */
    private void snapshotInstalled() {
        Membership.Members[] change = membership.reload(backend);
        LOG.log(Level.INFO, "{0} installed a snapshot; applied index {1,number,#}, {2,number,#} members",
                MemberIdentity.toHex(identity.memberId()), appliedIndex.get(), change[1].byId().size());
        membershipChanged(change[0], change[1]);
    }

    /**
     * etcd promotes its lessor when the leader applies the empty entry it appended on election:
     * every entry of earlier terms is applied by then. Called on the apply thread; the Raft loop
     * publishes that entry's index before handing it to the apply loop.
     */
    private void emptyEntryApplied(long index) {
        if (raftLoop.leaderEmptyEntryIndex() == index) {
            lessor.promote(lessor.config().promoteExtendMs());
        }
    }

    /**
     * Publishes this member's name and client URLs through the log (etcd's {@code publish}),
     * asking again after a failure until it is applied or the member closes.
     */
    private void publish() {
        if (closed.get()) {
            return;
        }
        proposer.propose(InternalRaftRequest.newBuilder().setMemberAttributes(attributes)).whenComplete((applied, failure) -> {
            if (failure == null) {
                LOG.log(Level.INFO, "published {0} {1} to cluster {2}", attributes.getName(), attributes.getClientUrlsList(),
                        MemberIdentity.toHex(identity.clusterId()));
            } else if (!closed.get()) {
                LOG.log(Level.WARNING, "failed to publish the local member to the cluster: {0}", failure.getMessage());
                CompletableFuture.delayedExecutor(PUBLISH_RETRY_MS, TimeUnit.MILLISECONDS).execute(this::publish);
            }
        });
    }

    /** The peer transport, null while there is none (a single member). */
    private PeerTransport peerTransport() {
        return transport;
    }

    /** Whether the peer transport is connected to {@code peer}. */
    private boolean isPeerActive(long peer) {
        PeerTransport peers = transport;
        return peers != null && peers.status(peer).map(PeerStatus::active).orElse(false);
    }

    /**
     * Follows an applied membership change (apply thread): adds, updates and removes peers in the
     * transport; a member that applied its own removal stops, as etcd's does.
     */
    private void membershipChanged(Membership.Members before, Membership.Members after) {
        long self = identity.memberId();
        if (after.removed().contains(self)) {
            LOG.log(Level.ERROR, "the member has been permanently removed from the cluster");
            fatal(new IllegalStateException("member " + MemberIdentity.toHex(self)
                    + " has been permanently removed from the cluster"));
            return;
        }
        PeerTransport peers = transport;
        if (peers == null) {
            return;
        }
        for (ClusterMember member : after.byId().values()) {
            ClusterMember old = before.byId().get(member.id());
            if (member.id() == self) {
                continue;
            }
            if (old == null) {
                peers.addPeer(member.id(), member.peerUrls());
            } else if (!old.peerUrls().equals(member.peerUrls())) {
                peers.updatePeer(member.id(), member.peerUrls());
            }
        }
        for (Long id : before.byId().keySet()) {
            if (!after.byId().containsKey(id) && id != self) {
                peers.removePeer(id);
            }
        }
    }

    private void fatal(Throwable failure) {
        LOG.log(Level.ERROR, "member " + MemberIdentity.toHex(identity.memberId()) + " stopped by a fatal error", failure);
        // Nothing more will be applied: fail whoever waits rather than leave them hanging.
        appliedIndex.stop();
        wait.failAll();
        onFatal.accept(failure);
    }

    private static ThreadPoolExecutor newResponseExecutor() {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(RESPONSE_THREADS, RESPONSE_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED_RESPONSES),
                task -> {
                    Thread thread = new Thread(task, "etcetera-response-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                // Past the limit (or after shutdown) the completing thread runs the task itself:
                // slower, but no client future is ever left uncompleted.
                (task, executor) -> task.run());
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing " + resource.getClass().getSimpleName() + " failed", e);
            }
        }
    }
}
