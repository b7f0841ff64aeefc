package io.etcetera.dist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionKindTest {

    @Test
    void boolAcceptsGoSpellingsOnly() {
        for (String yes : List.of("1", "t", "T", "TRUE", "true", "True")) {
            assertThat(OptionKind.BOOL.parse(yes, List.of())).isEqualTo(true);
        }
        for (String no : List.of("0", "f", "F", "FALSE", "false", "False")) {
            assertThat(OptionKind.BOOL.parse(no, List.of())).isEqualTo(false);
        }
        assertThatThrownBy(() -> OptionKind.BOOL.parse("yes", List.of())).hasMessageContaining("not a boolean");
    }

    @Test
    void uintRejectsNegativeAndText() {
        assertThat(OptionKind.UINT.parse("1572864", List.of())).isEqualTo(1572864L);
        assertThat(OptionKind.UINT.parse("0x10", List.of())).isEqualTo(16L);
        assertThatThrownBy(() -> OptionKind.UINT.parse("-1", List.of())).hasMessageContaining("not an unsigned integer");
        assertThatThrownBy(() -> OptionKind.UINT.parse("abc", List.of())).hasMessage("not an unsigned integer");
        assertThatThrownBy(() -> OptionKind.UINT32.parse("4294967296", List.of())).hasMessageContaining("32-bit");
        assertThat(OptionKind.INT64.parse("-5", List.of())).isEqualTo(-5L);
    }

    @Test
    void choiceNamesTheValidValues() {
        assertThat(OptionKind.CHOICE.parse("existing", List.of("new", "existing"))).isEqualTo("existing");
        assertThatThrownBy(() -> OptionKind.CHOICE.parse("old", List.of("new", "existing")))
                .hasMessage("valid values are new, existing");
    }

    @Test
    void stringsAndUrlsAreCommaLists() {
        assertThat(OptionKind.STRINGS.parse("stderr, /var/log/e.log,stderr", List.of())).isEqualTo(List.of("stderr", "/var/log/e.log"));
        assertThat(OptionKind.URLS.parse("", List.of())).isEqualTo(List.of());
        assertThat(OptionKind.URLS.parse("http://a:1,http://b:2", List.of()))
                .isEqualTo(List.of(URI.create("http://a:1"), URI.create("http://b:2")));
        assertThatThrownBy(() -> OptionKind.BIND_URLS.parse("http://a:1", List.of())).hasMessageContaining("expected IP");
    }

    @Test
    void pluginIdsAreLowercaseWords() {
        assertThat(OptionKind.PLUGIN_IDS.parse("grpc, rest,grpc", List.of())).isEqualTo(List.of("grpc", "rest"));
        assertThat(OptionKind.PLUGIN_ID.parse("rocksdb", List.of())).isEqualTo("rocksdb");
        assertThatThrownBy(() -> OptionKind.PLUGIN_ID.parse("RocksDB", List.of())).hasMessageContaining("plugin id");
        assertThatThrownBy(() -> OptionKind.PLUGIN_IDS.parse("grpc,", List.of())).hasMessageContaining("plugin id");
    }
}
