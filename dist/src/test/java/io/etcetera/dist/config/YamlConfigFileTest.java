package io.etcetera.dist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlConfigFileTest {

    @Test
    void readsEtcdKeysAsRawTextWithTheirOrigin() {
        Map<String, RawValue> values = YamlConfigFile.parse("""
                name: infra0
                data-dir: /var/lib/etcd
                listen-client-urls: http://127.0.0.1:2379,http://10.0.0.1:2379
                max-txn-ops: 256
                enable-pprof: true
                storage-backend: rocksdb
                api-front-ends: grpc
                """, "etcd.yml");
        assertThat(values).containsOnlyKeys("name", "data-dir", "listen-client-urls", "max-txn-ops", "enable-pprof",
                "storage-backend", "api-front-ends");
        assertThat(values.get("max-txn-ops")).isEqualTo(new RawValue("256", Origin.configFile("max-txn-ops", "etcd.yml")));
        assertThat(values.get("enable-pprof").text()).isEqualTo("true");
        assertThat(values.get("listen-client-urls").text()).isEqualTo("http://127.0.0.1:2379,http://10.0.0.1:2379");
    }

    @Test
    void sequencesAreJoinedWithCommas() {
        Map<String, RawValue> values = YamlConfigFile.parse("log-outputs: [stderr, /var/log/etcd.log]\n", "etcd.yml");
        assertThat(values.get("log-outputs").text()).isEqualTo("stderr,/var/log/etcd.log");
    }

    @Test
    void keyWithoutValueKeepsTheDefaultAndEmptyFileIsEmpty() {
        assertThat(YamlConfigFile.parse("name:\n", "etcd.yml")).isEmpty();
        assertThat(YamlConfigFile.parse("", "etcd.yml")).isEmpty();
    }

    @Test
    void transportSecurityMapsOntoTheTlsFlags() {
        Map<String, RawValue> values = YamlConfigFile.parse("""
                client-transport-security:
                  cert-file: /c.pem
                  auto-tls: false
                peer-transport-security:
                  client-cert-auth: true
                """, "etcd.yml");
        assertThat(values.get("cert-file")).isEqualTo(new RawValue("/c.pem", Origin.configFile("client-transport-security.cert-file", "etcd.yml")));
        assertThat(values.get("auto-tls").text()).isEqualTo("false");
        assertThat(values.get("peer-client-cert-auth").text()).isEqualTo("true");
    }

    @Test
    void unknownKeysFail() {
        assertThatThrownBy(() -> YamlConfigFile.parse("nmae: x\n", "etcd.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown key \"nmae\" in config file etcd.yml");
        assertThatThrownBy(() -> YamlConfigFile.parse("client-transport-security:\n  crt-file: x\n", "etcd.yml"))
                .hasMessage("unknown key \"client-transport-security.crt-file\" in config file etcd.yml");
    }

    @Test
    void flagOnlyOptionsAreNotConfigFileKeys() {
        assertThatThrownBy(() -> YamlConfigFile.parse("config-file: other.yml\n", "etcd.yml"))
                .hasMessage("unknown key \"config-file\" in config file etcd.yml");
        assertThatThrownBy(() -> YamlConfigFile.parse("cert-file: /c.pem\n", "etcd.yml"))
                .hasMessage("unknown key \"cert-file\" in config file etcd.yml");
    }

    @Test
    void malformedDocumentsFailInOneLine() {
        assertThatThrownBy(() -> YamlConfigFile.parse("- name\n- x\n", "etcd.yml"))
                .hasMessage("config file etcd.yml must be a mapping of option names to values");
        assertThatThrownBy(() -> YamlConfigFile.parse("name: [x\n", "etcd.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file etcd.yml is not valid YAML: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> YamlConfigFile.parse("name: a\nname: b\n", "etcd.yml"))
                .hasMessageStartingWith("config file etcd.yml is not valid YAML: ");
        assertThatThrownBy(() -> YamlConfigFile.parse("name:\n  first: x\n", "etcd.yml"))
                .hasMessage("invalid value for name in etcd.yml: expected a single value, got a mapping");
    }

    @Test
    void missingFileFailsNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("absent.yml");
        assertThatThrownBy(() -> YamlConfigFile.read(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot read config file " + missing);
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("etcd.yml"), "name: from-file\n");
        assertThat(YamlConfigFile.read(file).get("name").text()).isEqualTo("from-file");
    }
}
