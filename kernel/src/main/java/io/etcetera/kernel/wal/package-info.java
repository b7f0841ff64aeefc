/**
 * The write-ahead log in {@code <data-dir>/member/wal/}: segmented files of CRC32C-framed
 * records (Raft entries and hard states), fsync'd before anything they hold is applied, with a
 * torn final record truncated at open and any other damage refusing the open.
 */
package io.etcetera.kernel.wal;
