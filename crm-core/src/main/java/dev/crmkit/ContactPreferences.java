package dev.crmkit;

import dev.crmkit.error.ValidationException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A customer's opt-in state per channel. A channel without an entry is unknown: hosts must treat it
 * as "not opted in" for marketing.
 *
 * @param optIns consent per channel, without null channels or statuses (leave a channel out to make it
 *     unknown); copied, unmodifiable
 */
public record ContactPreferences(Map<Channel, OptInStatus> optIns) {
  /** No channel known. */
  public static final ContactPreferences UNKNOWN = new ContactPreferences(Map.of());

  /** @throws ValidationException naming {@code optIns} when it is null or holds a null channel or status */
  public ContactPreferences {
    if (optIns == null) {
      throw ValidationException.of("optIns", null, "must not be null; use ContactPreferences.UNKNOWN");
    }
    EnumMap<Channel, OptInStatus> copy = new EnumMap<>(Channel.class);
    for (Map.Entry<Channel, OptInStatus> e : optIns.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw ValidationException.of("optIns", String.valueOf(e.getKey()), "a channel and its status must not be null");
      }
      copy.put(e.getKey(), e.getValue());
    }
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
