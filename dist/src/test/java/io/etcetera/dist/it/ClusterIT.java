package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A static three-member cluster of OS processes ({@code --initial-cluster m1=...,m2=...,m3=...},
 * {@code --initial-cluster-state new}), driven with real etcdctl: {@code member list} and
 * {@code endpoint status -w table} over all endpoints, a write on one member read on another,
 * and {@code kill -9} of the leader: the survivors elect a new leader and keep every
 * acknowledged write.
 */
class ClusterIT {

    /** Longest wait for the survivors to agree on a new leader (etcd: a few election timeouts). */
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    final Members members = new Members();

    @Test
    void threeMembersServeMemberListStatusAndReadsOfEachOthersWrites() {
        List<MemberProcess> cluster = members.startCluster(Executables.candidate(), 3);
        Etcdctl all = new Etcdctl(Replicas.endpoints(cluster));

        Command.Result list = all.run("member", "list");
        assertThat(list.ok()).as(list.stderr()).isTrue();
        List<String> rows = list.stdout().lines().toList();
        assertThat(rows).hasSize(3);
        assertThat(rows).allSatisfy(row -> assertThat(row).contains(", started, ").endsWith(", false"));
        assertThat(rows.stream().map(row -> row.split(", ")[2]).toList()).containsExactlyInAnyOrder("m1", "m2", "m3");

        List<EndpointStatus> statuses = EndpointStatus.of(all);
        assertThat(statuses).hasSize(3);
        assertThat(statuses).filteredOn(EndpointStatus::leader).hasSize(1);

        Command.Result put = cluster.get(0).etcdctl().run("put", "greeting", "hello");
        assertThat(put.ok()).as(put.stderr()).isTrue();
        for (MemberProcess member : cluster) {
            assertThat(member.etcdctl().run("get", "greeting", "--print-value-only").stdout().strip()).isEqualTo("hello");
        }
    }

    @Test
    void killingTheLeaderElectsANewOneAndLosesNoAcknowledgedWrite() {
        List<MemberProcess> cluster = members.startCluster(Executables.candidate(), 3);
        Map<String, String> acknowledged = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            String key = "before-" + i;
            if (cluster.get(i % 3).etcdctl().run("put", key, "v" + i).ok()) {
                acknowledged.put(key, "v" + i);
            }
        }
        assertThat(acknowledged).hasSize(30);
        EndpointStatus oldLeader = EndpointStatus.of(new Etcdctl(Replicas.endpoints(cluster))).stream()
                .filter(EndpointStatus::leader).findFirst().orElseThrow();
        MemberProcess leader = cluster.stream()
                .filter(m -> m.clientEndpoint().equals(oldLeader.endpoint())).findFirst().orElseThrow();

        leader.kill();
        List<MemberProcess> survivors = new ArrayList<>(cluster);
        survivors.remove(leader);

        Etcdctl both = new Etcdctl(Replicas.endpoints(survivors));
        Await.until(ELECTION_TIMEOUT, "a new leader among the survivors", () -> {
            List<EndpointStatus> statuses = EndpointStatus.of(both);
            return statuses.size() == 2 && statuses.stream().filter(EndpointStatus::leader).count() == 1
                    && statuses.stream().allMatch(s -> s.raftTerm() > oldLeader.raftTerm());
        });
        Await.until(ELECTION_TIMEOUT, "a put after the leader died",
                () -> survivors.get(0).etcdctl().run("put", "after", "new leader").ok());
        acknowledged.put("after", "new leader");
        for (MemberProcess survivor : survivors) {
            Command.Result get = survivor.etcdctl().run("get", "", "--from-key");
            assertThat(get.ok()).as(get.stderr()).isTrue();
            assertThat(Replicas.pairs(get.stdout())).containsAllEntriesOf(acknowledged);
        }
    }
}
