package io.etcetera.kernel.server;

import io.etcetera.kernel.raft.pb.ConfChange;
import io.etcetera.kernel.raft.pb.ConfChangeType;
import io.etcetera.kernel.raft.pb.ConfState;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.raft.pb.HardState;
import io.etcetera.kernel.wal.Wal;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --force-new-cluster} on a restart (etcd's {@code restartAsStandaloneNode}): keeps the
 * data and the committed log, discards the uncommitted tail, and appends — committed at once, at
 * the persisted term — one {@code ConfChangeRemoveNode} per other member, so that applying them
 * leaves this member the only voter (and the removed ids remembered as removed). The new entries
 * and hard state are written to the WAL (fsync'd) before Raft starts. Not thread-safe: called
 * once, before the member starts.
 */
final class ForceNewCluster {

    private static final System.Logger LOG = System.getLogger(ForceNewCluster.class.getName());

    private ForceNewCluster() {
    }

    /**
     * Rewrites the recovered log of member {@code localId}, whose membership as of the applied
     * index is {@code members}.
     *
     * @return the log Raft restarts from
     * @throws IOException when the WAL cannot be written
     */
    static Wal.Recovered rewrite(Wal.Recovered recovered, long localId, ConfState members) throws IOException {
        HardState hardState = recovered.hardState();
        long commit = hardState.getCommit();
        List<Entry> entries = new ArrayList<>();
        for (Entry entry : recovered.entries()) {
            if (entry.getIndex() <= commit) {
                entries.add(entry);
            }
        }
        if (recovered.lastIndex() > commit) {
            LOG.log(Level.WARNING, "--force-new-cluster: discarding uncommitted WAL entries {0,number,#} to {1,number,#}",
                    commit + 1, recovered.lastIndex());
        }
        List<Long> others = new ArrayList<>();
        members.getVotersList().stream().filter(id -> id != localId).forEach(others::add);
        members.getLearnersList().stream().filter(id -> id != localId).forEach(others::add);
        List<Entry> removals = new ArrayList<>();
        long index = commit;
        for (long id : others) {
            ConfChange remove = ConfChange.newBuilder().setType(ConfChangeType.ConfChangeRemoveNode).setNodeId(id).build();
            removals.add(Entry.newBuilder().setType(EntryType.EntryConfChange).setTerm(hardState.getTerm())
                    .setIndex(++index).setData(remove.toByteString()).build());
            LOG.log(Level.INFO, "--force-new-cluster: removing member {0}", MemberIdentity.toHex(id));
        }
        HardState forced = hardState.toBuilder().setCommit(index).build();
        // entries at or below the old last index replace the WAL's tail when read back
        recovered.wal().save(forced, removals, true);
        entries.addAll(removals);
        return new Wal.Recovered(recovered.wal(), forced, index, recovered.appliedTerm(), entries);
    }
}
