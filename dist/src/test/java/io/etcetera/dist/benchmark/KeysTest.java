package io.etcetera.dist.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void keysAreGoVarintsInAZeroFilledBufferAsEtcdsBenchmarkWritesThem() {
        // Go: binary.PutVarint(k, 0) -> 00; 1 -> 02; -1 -> 01; 63 -> 7e; 64 -> 80 01; 300 -> d8 04.
        assertThat(Keys.varintKey(0, 4)).containsExactly(0, 0, 0, 0);
        assertThat(Keys.varintKey(1, 2)).containsExactly(2, 0);
        assertThat(Keys.varintKey(-1, 1)).containsExactly(1);
        assertThat(Keys.varintKey(63, 1)).containsExactly(0x7e);
        assertThat(Keys.varintKey(64, 3)).containsExactly(0x80, 0x01, 0);
        assertThat(Keys.varintKey(300, 2)).containsExactly(0xd8, 0x04);
    }

    @Test
    void varintLengthGrowsEverySevenBits() {
        assertThat(Keys.varintLength(63)).isEqualTo(1);
        assertThat(Keys.varintLength(64)).isEqualTo(2);
        assertThat(Keys.varintLength(99_999)).isEqualTo(3);
        assertThat(Keys.varintLength(Long.MAX_VALUE)).isEqualTo(10);
    }

    @Test
    void aKeyThatDoesNotFitIsRefused() {
        assertThatThrownBy(() -> Keys.varintKey(64, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key number 64 needs 2 bytes, more than the key size 1");
    }
}
