package io.etcetera.dist.it;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code etcdctl endpoint status -w table}: ENDPOINT | ID | VERSION | DB SIZE |
 * IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | ERRORS.
 *
 * @param endpoint {@code 127.0.0.1:<client port>}
 * @param id the member id in hex, as etcdctl prints it
 * @param leader whether the member answered that it is the leader
 * @param raftTerm the member's current Raft term
 */
record EndpointStatus(String endpoint, String id, boolean leader, long raftTerm) {

    /**
     * Asks every endpoint of {@code etcdctl}; unreachable endpoints are left out (etcdctl
     * reports them on stderr).
     */
    static List<EndpointStatus> of(Etcdctl etcdctl) {
        Command.Result result = etcdctl.run("endpoint", "status", "-w", "table");
        List<EndpointStatus> rows = new ArrayList<>();
        for (String line : result.stdout().lines().toList()) {
            String[] cells = line.split("\\|");
            if (cells.length < 8 || !cells[1].strip().startsWith("127.0.0.1")) {
                continue;
            }
            rows.add(new EndpointStatus(cells[1].strip(), cells[2].strip(), cells[5].strip().equals("true"),
                    Long.parseLong(cells[7].strip())));
        }
        return rows;
    }
}
