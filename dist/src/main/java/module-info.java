/**
 * The launchers of etcetera: {@code bin/etcetera} ({@link io.etcetera.dist.Main}), which reads
 * etcd 3.4's flags, {@code ETCD_*} variables and YAML config file
 * ({@link io.etcetera.dist.config}, where every key is documented) and runs a member, and
 * {@code etcetera benchmark} ({@link io.etcetera.dist.benchmark}), a load generator that speaks
 * only the etcd v3 gRPC API and so measures real etcd as well; later the ctl command. Storage
 * engines and API front ends are not named here: the kernel finds them with
 * {@link java.util.ServiceLoader} among the modules of the image.
 */
module io.etcetera.dist {
    requires io.etcetera.kernel;
    requires info.picocli;
    requires org.snakeyaml.engine;
    requires java.logging;
    // etcetera benchmark: a gRPC client of the etcd v3 API through api-grpc's generated stubs.
    requires io.etcetera.api.grpc;
    requires io.grpc;
    requires io.grpc.netty;
    requires io.grpc.stub;
    requires com.google.common;
    requires com.google.protobuf;
    requires HdrHistogram;

    // picocli reads the @Command class and creates the version provider reflectively.
    opens io.etcetera.dist.launcher to info.picocli;
    opens io.etcetera.dist.benchmark to info.picocli;
}
