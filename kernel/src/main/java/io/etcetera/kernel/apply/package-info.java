/**
 * The apply side: one thread applies committed entries to the MVCC store with their index as
 * consistent index, answers the proposers waiting by request id, and publishes the applied index
 * that linearizable reads wait for.
 */
package io.etcetera.kernel.apply;
