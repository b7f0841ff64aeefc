package io.etcetera.spi.error;

/**
 * The table of etcd v3 API errors: each constant carries the gRPC status code and the exact
 * message etcd 3.4 returns (etcd {@code etcdserver/api/v3rpc/rpctypes/error.go}), so clients
 * that match on the text ({@code rpctypes.ErrCompacted} and friends) recognise ours.
 *
 * <p>Constants are named as etcd names them, without the {@code ErrGRPC} prefix.
 * Thread-safe (immutable).
 */
public enum EtcdError {
    EMPTY_KEY(StatusCode.INVALID_ARGUMENT, "etcdserver: key is not provided"),
    KEY_NOT_FOUND(StatusCode.INVALID_ARGUMENT, "etcdserver: key not found"),
    VALUE_PROVIDED(StatusCode.INVALID_ARGUMENT, "etcdserver: value is provided"),
    LEASE_PROVIDED(StatusCode.INVALID_ARGUMENT, "etcdserver: lease is provided"),
    TOO_MANY_OPS(StatusCode.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"),
    DUPLICATE_KEY(StatusCode.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"),
    COMPACTED(StatusCode.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
    FUTURE_REV(StatusCode.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
    NO_SPACE(StatusCode.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),
    LEASE_NOT_FOUND(StatusCode.NOT_FOUND, "etcdserver: requested lease not found"),
    LEASE_EXIST(StatusCode.FAILED_PRECONDITION, "etcdserver: lease already exists"),
    LEASETTL_TOO_LARGE(StatusCode.OUT_OF_RANGE, "etcdserver: too large lease TTL"),
    WATCH_CANCELED(StatusCode.CANCELLED, "etcdserver: watch canceled"),
    MEMBER_EXIST(StatusCode.FAILED_PRECONDITION, "etcdserver: member ID already exist"),
    PEERURL_EXIST(StatusCode.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists"),
    MEMBER_NOT_ENOUGH_STARTED(StatusCode.FAILED_PRECONDITION, "etcdserver: re-configuration failed due to not enough started members"),
    MEMBER_BADUR_LS(StatusCode.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid"),
    MEMBER_NOT_FOUND(StatusCode.NOT_FOUND, "etcdserver: member not found"),
    MEMBER_NOT_LEARNER(StatusCode.FAILED_PRECONDITION, "etcdserver: can only promote a learner member"),
    LEARNER_NOT_READY(StatusCode.FAILED_PRECONDITION, "etcdserver: can only promote a learner member which is in sync with leader"),
    TOO_MANY_LEARNERS(StatusCode.FAILED_PRECONDITION, "etcdserver: too many learner members in cluster"),
    REQUEST_TOO_LARGE(StatusCode.INVALID_ARGUMENT, "etcdserver: request is too large"),
    REQUEST_TOO_MANY_REQUESTS(StatusCode.RESOURCE_EXHAUSTED, "etcdserver: too many requests"),
    ROOT_USER_NOT_EXIST(StatusCode.FAILED_PRECONDITION, "etcdserver: root user does not exist"),
    ROOT_ROLE_NOT_EXIST(StatusCode.FAILED_PRECONDITION, "etcdserver: root user does not have root role"),
    USER_ALREADY_EXIST(StatusCode.FAILED_PRECONDITION, "etcdserver: user name already exists"),
    USER_EMPTY(StatusCode.INVALID_ARGUMENT, "etcdserver: user name is empty"),
    USER_NOT_FOUND(StatusCode.FAILED_PRECONDITION, "etcdserver: user name not found"),
    ROLE_ALREADY_EXIST(StatusCode.FAILED_PRECONDITION, "etcdserver: role name already exists"),
    ROLE_NOT_FOUND(StatusCode.FAILED_PRECONDITION, "etcdserver: role name not found"),
    ROLE_EMPTY(StatusCode.INVALID_ARGUMENT, "etcdserver: role name is empty"),
    AUTH_FAILED(StatusCode.INVALID_ARGUMENT, "etcdserver: authentication failed, invalid user ID or password"),
    PERMISSION_DENIED(StatusCode.PERMISSION_DENIED, "etcdserver: permission denied"),
    ROLE_NOT_GRANTED(StatusCode.FAILED_PRECONDITION, "etcdserver: role is not granted to the user"),
    PERMISSION_NOT_GRANTED(StatusCode.FAILED_PRECONDITION, "etcdserver: permission is not granted to the role"),
    AUTH_NOT_ENABLED(StatusCode.FAILED_PRECONDITION, "etcdserver: authentication is not enabled"),
    INVALID_AUTH_TOKEN(StatusCode.UNAUTHENTICATED, "etcdserver: invalid auth token"),
    INVALID_AUTH_MGMT(StatusCode.INVALID_ARGUMENT, "etcdserver: invalid auth management"),
    AUTH_OLD_REVISION(StatusCode.INVALID_ARGUMENT, "etcdserver: revision of auth store is old"),
    NO_LEADER(StatusCode.UNAVAILABLE, "etcdserver: no leader"),
    NOT_LEADER(StatusCode.FAILED_PRECONDITION, "etcdserver: not leader"),
    LEADER_CHANGED(StatusCode.UNAVAILABLE, "etcdserver: leader changed"),
    NOT_CAPABLE(StatusCode.UNAVAILABLE, "etcdserver: not capable"),
    STOPPED(StatusCode.UNAVAILABLE, "etcdserver: server stopped"),
    TIMEOUT(StatusCode.UNAVAILABLE, "etcdserver: request timed out"),
    TIMEOUT_DUE_TO_LEADER_FAIL(StatusCode.UNAVAILABLE, "etcdserver: request timed out, possibly due to previous leader failure"),
    TIMEOUT_DUE_TO_CONNECTION_LOST(StatusCode.UNAVAILABLE, "etcdserver: request timed out, possibly due to connection lost"),
    TIMEOUT_WAIT_APPLIED_INDEX(StatusCode.UNAVAILABLE, "etcdserver: request timed out, waiting for the applied index took too long"),
    UNHEALTHY(StatusCode.UNAVAILABLE, "etcdserver: unhealthy cluster"),
    CORRUPT(StatusCode.DATA_LOSS, "etcdserver: corrupt cluster"),
    NOT_SUPPORTED_FOR_LEARNER(StatusCode.UNAVAILABLE, "etcdserver: rpc not supported for learner"),
    BAD_LEADER_TRANSFEREE(StatusCode.FAILED_PRECONDITION, "etcdserver: bad leader transferee"),
    // The election service's own errors are plain Go errors in etcd 3.4, which grpc-go sends as
    // UNKNOWN with their text (clientv3/concurrency/election.go, etcdserver/api/v3election/election.go).
    ELECTION_NOT_LEADER(StatusCode.UNKNOWN, "election: not leader"),
    ELECTION_NO_LEADER(StatusCode.UNKNOWN, "election: no leader"),
    ELECTION_MISSING_LEADER_KEY(StatusCode.UNKNOWN, "\"leader\" field must be provided"),
    // etcdserver.ErrTimeoutLeaderTransfer is missing from v3rpc's toGRPCErrorMap: grpc-go sends it as UNKNOWN.
    LEADER_TRANSFER_TIMEOUT(StatusCode.UNKNOWN, "etcdserver: request timed out, leader transfer took too long");

    private final StatusCode code;
    private final String message;

    EtcdError(StatusCode code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The gRPC status code etcd answers with. */
    public StatusCode code() {
        return code;
    }

    /** The status message, byte for byte as etcd 3.4 sends it. */
    public String message() {
        return message;
    }

    /** A new exception carrying this error. */
    public EtcdException exception() {
        return new EtcdException(this);
    }
}
