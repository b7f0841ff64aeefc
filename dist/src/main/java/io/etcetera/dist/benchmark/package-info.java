/**
 * {@code etcetera benchmark}: a load generator for etcd v3 servers modeled on etcd's
 * {@code tools/benchmark} ({@link io.etcetera.dist.benchmark.BenchmarkCommand}), with the
 * subcommands {@code put}, {@code range}, {@code txn-put}, {@code watch} and
 * {@code lease-keepalive}. It is a plain gRPC client of the etcd v3 API (api-grpc's generated
 * stubs over grpc-netty), so the same command measures real etcd and etcetera; latencies are kept
 * in HdrHistogram and reported as etcd's tool reports them, or as JSON ({@code -w json}).
 * {@code bench/compare-etcd.sh} runs it against both side by side.
 */
package io.etcetera.dist.benchmark;
