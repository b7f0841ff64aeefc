package io.etcetera.dist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class EtcdFlagsTest {

    @Test
    void everyOptionButVersionIsAFlagAndKeepsItsRawText() {
        for (EtcdOption option : EtcdOptions.all()) {
            if (option.name().equals(EtcdOptions.VERSION)) {
                continue;
            }
            Map<String, RawValue> matched = parse(option.flag() + "=" + option.defaultValue());
            assertThat(matched).as(option.flag()).containsOnlyKeys(option.name());
            assertThat(matched.get(option.name())).isEqualTo(new RawValue(option.defaultValue(), Origin.flag(option.name())));
        }
    }

    @Test
    void valueMayFollowAsTheNextArgument() {
        assertThat(parse("--name", "infra0", "--listen-client-urls", "http://127.0.0.1:1,http://127.0.0.1:2"))
                .containsEntry("name", new RawValue("infra0", Origin.flag("name")))
                .containsEntry("listen-client-urls", new RawValue("http://127.0.0.1:1,http://127.0.0.1:2", Origin.flag("listen-client-urls")));
    }

    @Test
    void goSingleDashSpellingIsAccepted() {
        assertThat(parse(EtcdFlags.normalizeGoSyntax(new String[] {"-name", "infra0", "-data-dir=/d", "-enable-pprof"})))
                .containsOnlyKeys("name", "data-dir", "enable-pprof");
        assertThat(EtcdFlags.normalizeGoSyntax(new String[] {"-h", "-bogus", "--", "-name"}))
                .containsExactly("-h", "-bogus", "--", "-name");
    }

    @Test
    void switchesTakeNoValueOrAnExplicitOne() {
        assertThat(parse("--enable-pprof").get("enable-pprof").text()).isEqualTo("true");
        assertThat(parse("--enable-pprof=false").get("enable-pprof").text()).isEqualTo("false");
        assertThat(parse("--enable-pprof", "--name", "x")).containsOnlyKeys("enable-pprof", "name");
    }

    @Test
    void repeatedFlagKeepsTheLastValueAsGoFlagsDo() {
        assertThat(parse("--name", "a", "--name", "b").get("name").text()).isEqualTo("b");
    }

    @Test
    void unknownFlagsFail() {
        assertThatThrownBy(() -> parse("--bogus=1"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class)
                .hasMessageContaining("Unknown option: '--bogus=1'");
        assertThatThrownBy(() -> parse("--name"))
                .isInstanceOf(CommandLine.MissingParameterException.class);
    }

    @Test
    void refusedFlagsAreAcceptedButHiddenFromHelp() {
        CommandLine commandLine = commandLine();
        String usage = commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(usage).contains("--listen-client-urls", "--max-txn-ops", "--logger", "--storage-backend", "--api-front-ends");
        assertThat(usage).doesNotContain("--cert-file=", "--discovery=");
        assertThat(parse("--cert-file", "/c.pem")).containsOnlyKeys("cert-file");
    }

    private static Map<String, RawValue> parse(String... args) {
        return EtcdFlags.matched(commandLine().parseArgs(args));
    }

    private static CommandLine commandLine() {
        CommandSpec spec = CommandSpec.create().name("etcetera");
        EtcdFlags.addTo(spec);
        CommandLine commandLine = new CommandLine(spec);
        commandLine.setOverwrittenOptionsAllowed(true);
        return commandLine;
    }
}
