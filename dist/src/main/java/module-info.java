/** The launchers (server, later ctl and benchmark) and the jlink image. */
module io.etcetera.dist {
    requires io.etcetera.kernel;
    requires info.picocli;
    requires org.snakeyaml.engine;
}
