/**
 * etcd 3.4's Lock and Election services, built server-side on the kernel's own KV, Lease and
 * Watch facades the way etcd builds them on its in-process client
 * ({@code etcdserver/api/v3lock/lock.go}, {@code etcdserver/api/v3election/election.go},
 * {@code clientv3/concurrency/{mutex,election,key,session}.go}).
 *
 * <p>{@link io.etcetera.kernel.concurrency.LockServer} and
 * {@link io.etcetera.kernel.concurrency.ElectionServer} are the facades. Inside:
 * {@code CandidateKeys} (key names and the requests on them), {@code Sessions} (the lease a
 * request runs under), {@code DeletionWait} (etcd's {@code waitDeletes}: wait until no key
 * created before ours is left), {@code KeyWatch} (one watch on the Watch facade) and
 * {@code LeaderObservation} (etcd's {@code Election.observe}).
 *
 * <p>Internal to the kernel: the package is not exported.
 */
package io.etcetera.kernel.concurrency;
