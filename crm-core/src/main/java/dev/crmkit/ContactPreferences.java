package dev.crmkit;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A customer's opt-in state per channel. A channel without an entry is unknown: hosts must treat it
 * as "not opted in" for marketing.
 *
 * @param optIns consent per channel; copied, unmodifiable
 */
public record ContactPreferences(Map<Channel, OptInStatus> optIns) {
  /** No channel known. */
  public static final ContactPreferences UNKNOWN = new ContactPreferences(Map.of());

  public ContactPreferences {
    Objects.requireNonNull(optIns, "optIns");
    EnumMap<Channel, OptInStatus> copy = new EnumMap<>(Channel.class);
    copy.putAll(optIns);
    optIns = Collections.unmodifiableMap(copy);
  }

  /** The status for a channel, or {@code null} when unknown. */
  public OptInStatus statusOf(Channel channel) {
    return optIns.get(channel);
  }

  /** True when the customer opted in on the channel. */
  public boolean isOptedIn(Channel channel) {
    return optIns.get(channel) == OptInStatus.OPTED_IN;
  }

  /** A copy with one channel set; {@code status == null} makes the channel unknown again. */
  public ContactPreferences with(Channel channel, OptInStatus status) {
    EnumMap<Channel, OptInStatus> copy = new EnumMap<>(Channel.class);
    copy.putAll(optIns);
    if (status == null) {
      copy.remove(channel);
    } else {
      copy.put(channel, status);
    }
    return new ContactPreferences(copy);
  }
}
