package io.etcetera.dist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentSourceTest {

    @Test
    void variableIsEtcdPrefixAndUpperCasedFlagWithUnderscores() {
        assertThat(EtcdOptions.get("data-dir").environmentVariable()).isEqualTo("ETCD_DATA_DIR");
        assertThat(EtcdOptions.get("initial-advertise-peer-urls").environmentVariable()).isEqualTo("ETCD_INITIAL_ADVERTISE_PEER_URLS");
        assertThat(EtcdOptions.get("api-front-ends").environmentVariable()).isEqualTo("ETCD_API_FRONT_ENDS");
    }

    @Test
    void everyOptionIsReadFromItsVariable() {
        for (EtcdOption option : EtcdOptions.all()) {
            if (option.name().equals(EtcdOptions.CONFIG_FILE)) {
                continue;
            }
            EnvironmentSource env = new EnvironmentSource(Map.of(option.environmentVariable(), "v"));
            EnvironmentSource.Reading reading = env.read(Map.of());
            assertThat(reading.values()).containsOnlyKeys(option.name());
            assertThat(reading.values().get(option.name()))
                    .isEqualTo(new RawValue("v", Origin.environment(option.environmentVariable())));
            assertThat(reading.notices()).containsExactly(
                    Notice.info("recognized and used environment variable " + option.environmentVariable() + "=v"));
        }
    }

    @Test
    void emptyVariableCountsAsUnsetAndOtherPrefixesAreNotOurs() {
        EnvironmentSource env = new EnvironmentSource(Map.of("ETCD_NAME", "", "ETCDCTL_API", "3", "HOME", "/root"));
        EnvironmentSource.Reading reading = env.read(Map.of());
        assertThat(reading.values()).isEmpty();
        assertThat(reading.notices()).isEmpty();
    }

    @Test
    void unrecognizedEtcdVariableIsWarnedAbout() {
        EnvironmentSource.Reading reading = new EnvironmentSource(Map.of("ETCD_FOO", "1")).read(Map.of());
        assertThat(reading.values()).isEmpty();
        assertThat(reading.notices()).containsExactly(Notice.warning("unrecognized environment variable ETCD_FOO=1"));
    }

    @Test
    void variableShadowedByItsFlagIsAnErrorAsInEtcd34() {
        EnvironmentSource env = new EnvironmentSource(Map.of("ETCD_NAME", "x"));
        assertThatThrownBy(() -> env.read(Map.of("name", new RawValue("y", Origin.flag("name")))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding command-line flag"
                        + " (either unset environment variable or disable flag)");
    }

    @Test
    void configFileVariableIsReadOnItsOwn() {
        EnvironmentSource env = new EnvironmentSource(Map.of("ETCD_CONFIG_FILE", "/etc/etcd.yml"));
        assertThat(env.configFile()).contains("/etc/etcd.yml");
        assertThat(env.read(Map.of()).values()).isEmpty();
        assertThat(new EnvironmentSource(Map.of("ETCD_CONFIG_FILE", "")).configFile()).isEmpty();
    }
}
