/**
 * The launchers of etcetera: {@code bin/etcetera} ({@link io.etcetera.dist.Main}), which reads
 * etcd 3.4's flags, {@code ETCD_*} variables and YAML config file
 * ({@link io.etcetera.dist.config}, where every key is documented) and runs a member; later the
 * ctl and benchmark commands. Storage engines and API front ends are not named here: the kernel
 * finds them with {@link java.util.ServiceLoader} among the modules of the image.
 */
module io.etcetera.dist {
    requires io.etcetera.kernel;
    requires info.picocli;
    requires org.snakeyaml.engine;
    requires java.logging;

    // picocli reads the @Command class and creates the version provider reflectively.
    opens io.etcetera.dist.launcher to info.picocli;
}
