package io.etcetera.kernel.mvcc;

import io.etcetera.spi.mvccpb.Event;
import java.util.List;

/**
 * A slice of the store's change history read by {@link MvccStore#rangeEvents}.
 *
 * @param events the events read, in revision order, never splitting one revision
 * @param nextRevision the first main revision not read: {@code toRevision + 1} when the whole
 *     asked interval was read, less when the byte limit cut it short
 */
public record EventHistory(List<Event> events, long nextRevision) {
    public EventHistory {
        events = List.copyOf(events);
    }
}
