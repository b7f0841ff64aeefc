package io.etcetera.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcetera.spi.api.ApiContext;
import io.etcetera.spi.api.ApiFrontEnd;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real etcdctl 3.4 (the Go clientv3 over grpc-go) against the front end, with a map-backed
 * {@link MapKvService}: etcdctl's output must be what it prints against etcd itself.
 */
class EtcdctlCompatibilityTest {
    private static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");
    private static final long PROCESS_TIMEOUT_SECONDS = 30;

    @TempDir
    Path workDir;
    private final MapLeaseService leases = new MapLeaseService();
    private ApiFrontEnd frontEnd;
    private String endpoint;

    /** What one etcdctl run printed, and how it exited. */
    private record Run(int exitCode, String stdout, String stderr) {
    }

    @BeforeEach
    void start() throws IOException {
        assertTrue(Files.isExecutable(ETCDCTL), "etcdctl 3.4 must be installed at " + ETCDCTL + " (apt-get install -y etcd-client)");
        MapKvService kv = new MapKvService();
        frontEnd = new GrpcFrontEnd(new ApiContext(TestServices.of(kv, leases), List.of(URI.create("http://127.0.0.1:0")), 1536 * 1024));
        frontEnd.start();
        endpoint = "127.0.0.1:" + frontEnd.boundAddresses().get(0).getPort();
    }

    @AfterEach
    void stop() {
        if (frontEnd != null) {
            frontEnd.close();
        }
    }

    private Run etcdctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ETCDCTL.toString(), "--endpoints=" + endpoint));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("ETCDCTL_API", "3");
        Process process = builder.start();
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("etcdctl did not finish in " + PROCESS_TIMEOUT_SECONDS + " s: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void putThenGetPrintsWhatEtcdPrints() throws Exception {
        assertThat(etcdctl("put", "foo", "bar")).isEqualTo(new Run(0, "OK\n", ""));
        assertThat(etcdctl("get", "foo")).isEqualTo(new Run(0, "foo\nbar\n", ""));
        assertThat(etcdctl("get", "missing")).isEqualTo(new Run(0, "", ""));
    }

    @Test
    void responseHeaderAndKeyValueFieldsCrossTheWire() throws Exception {
        etcdctl("put", "foo", "bar");

        Run json = etcdctl("get", "foo", "-w", "json");

        assertThat(json.exitCode()).isZero();
        assertThat(json.stdout().strip()).isEqualTo("{\"header\":{\"cluster_id\":" + MapKvService.CLUSTER_ID
                + ",\"member_id\":" + MapKvService.MEMBER_ID + ",\"revision\":2,\"raft_term\":" + MapKvService.RAFT_TERM
                + "},\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":2,\"mod_revision\":2,\"version\":1,\"value\":\"YmFy\"}],"
                + "\"count\":1}");
    }

    @Test
    void emptyKeyErrorIsPrintedAsEtcdPrintsIt() throws Exception {
        Run run = etcdctl("get", "");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("code = InvalidArgument desc = etcdserver: key is not provided")
                .endsWith("Error: etcdserver: key is not provided\n");
    }

    @Test
    void compactionErrorsArePrintedAsEtcdPrintsThem() throws Exception {
        etcdctl("put", "foo", "bar");
        assertThat(etcdctl("compact", "2")).isEqualTo(new Run(0, "compacted revision 2\n", ""));

        Run again = etcdctl("compact", "2");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).endsWith("Error: etcdserver: mvcc: required revision has been compacted\n");

        Run future = etcdctl("get", "foo", "--rev=100");
        assertThat(future.exitCode()).isEqualTo(1);
        assertThat(future.stderr()).endsWith("Error: etcdserver: mvcc: required revision is a future revision\n");
    }

    @Test
    void leaseCommandsPrintWhatEtcdPrints() throws Exception {
        String id = Long.toHexString(MapLeaseService.FIRST_ID);
        assertThat(etcdctl("lease", "grant", "30")).isEqualTo(new Run(0, "lease " + id + " granted with TTL(30s)\n", ""));
        leases.attach(MapLeaseService.FIRST_ID, "foo");

        assertThat(etcdctl("lease", "keep-alive", "--once", id))
                .isEqualTo(new Run(0, "lease " + id + " keepalived with TTL(30)\n", ""));
        assertThat(etcdctl("lease", "timetolive", "--keys", id))
                .isEqualTo(new Run(0, "lease " + id + " granted with TTL(30s), remaining(29s), attached keys([foo])\n", ""));
        assertThat(etcdctl("lease", "list")).isEqualTo(new Run(0, "found 1 leases\n" + id + "\n", ""));
        assertThat(etcdctl("lease", "revoke", id)).isEqualTo(new Run(0, "lease " + id + " revoked\n", ""));
        assertThat(etcdctl("lease", "timetolive", id)).isEqualTo(new Run(0, "lease " + id + " already expired\n", ""));

        Run keepAliveGone = etcdctl("lease", "keep-alive", "--once", id);
        assertThat(keepAliveGone.exitCode()).isEqualTo(2);
        assertThat(keepAliveGone.stderr()).endsWith("Error: etcdserver: requested lease not found\n");
        Run revokeGone = etcdctl("lease", "revoke", id);
        assertThat(revokeGone.exitCode()).isEqualTo(1);
        assertThat(revokeGone.stderr()).endsWith("Error: failed to revoke lease (etcdserver: requested lease not found)\n");
    }
}
