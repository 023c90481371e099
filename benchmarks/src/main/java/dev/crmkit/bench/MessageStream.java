package dev.crmkit.bench;

import dev.crmkit.Channel;
import dev.crmkit.CustomerDraft;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.inbound.InboundMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic stream of inbound messages against an imported dataset: about 70% from known
 * customers, each writing their number in another format than the import had (one with the same
 * match key, so it must match); about 20% from new numbers; about 10% redeliveries of an earlier
 * message (same channel, message id, sender and time). Messages alternate WhatsApp and SMS and arrive
 * one second apart from {@link #START}. Stateless.
 */
public final class MessageStream {
  /** When the first message arrives. */
  public static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

  private MessageStream() {}

  /**
   * The messages.
   *
   * @param tenantId the tenant every message is for
   * @param imported the drafts imported before the stream; only ones with a phone are used
   * @param phones phone normalization of the tenant
   * @param count number of messages, at least 1
   * @param seed the random seed; the same arguments give the same stream
   * @return {@code count} messages in arrival order
   * @throws ValidationException naming {@code count} when it is below 1, or {@code imported} when no
   *     draft has a phone
   */
  public static List<InboundMessage> generate(String tenantId, List<CustomerDraft> imported, PhoneNumbers phones,
      int count, long seed) {
    if (count < 1) {
      throw ValidationException.of("count", String.valueOf(count), "must be at least 1");
    }
    List<CustomerDraft> withPhone = new ArrayList<>();
    Set<String> knownKeys = new HashSet<>();
    for (CustomerDraft d : imported) {
      String key = phones.matchKey(d.phone());
      if (key != null) {
        withPhone.add(d);
        knownKeys.add(key);
      }
    }
    if (withPhone.isEmpty()) {
      throw ValidationException.of("imported", String.valueOf(imported.size()), "no draft has a phone number");
    }
    Random random = new Random(seed);
    List<InboundMessage> out = new ArrayList<>(count);
    long nextNew = 10_000_000L;
    for (int i = 0; i < count; i++) {
      double r = random.nextDouble();
      if (i > 0 && r < 0.10) {
        out.add(out.get(random.nextInt(out.size())));
        continue;
      }
      Channel channel = i % 2 == 0 ? Channel.WHATSAPP : Channel.SMS;
      Instant at = START.plusSeconds(i);
      String id = "bench-" + seed + "-" + i;
      if (r < 0.30) {
        String number;
        do {
          number = "+49 30 " + nextNew++;
        } while (knownKeys.contains(phones.matchKey(number)));
        out.add(new InboundMessage(tenantId, channel, number, i % 3 == 0 ? null : "Guest " + i,
            "Hello, is Friday free?", id, at));
      } else {
        CustomerDraft d = withPhone.get(random.nextInt(withPhone.size()));
        String name = d.firstName() == null ? null : d.firstName() + (d.lastName() == null ? "" : " " + d.lastName());
        out.add(new InboundMessage(tenantId, channel, reformat(d.phone(), phones, i), name,
            "Can I move my booking?", id, at));
      }
    }
    return List.copyOf(out);
  }

  /** The number in another format with the same match key; the number itself when none is found. */
  static String reformat(String typed, PhoneNumbers phones, int variant) {
    String key = phones.matchKey(typed);
    int x = typed.toLowerCase(Locale.ROOT).indexOf('x');
    String digits = (x < 0 ? typed : typed.substring(0, x)).replaceAll("\\D", "");
    if (digits.startsWith("001") && digits.length() == 13) {
      digits = digits.substring(3);
    } else if (digits.startsWith("1") && digits.length() == 11) {
      digits = digits.substring(1);
    }
    List<String> candidates = new ArrayList<>();
    if (digits.length() == 10) {
      String a = digits.substring(0, 3);
      String b = digits.substring(3, 6);
      String c = digits.substring(6);
      candidates.add("(" + a + ") " + b + "-" + c);
      candidates.add(a + "." + b + "." + c);
      candidates.add("+1 " + a + " " + b + " " + c);
      candidates.add(a + " " + b + " " + c);
      candidates.add("1-" + a + "-" + b + "-" + c);
      candidates.add(digits);
    } else {
      candidates.add(digits);
    }
    for (int k = 0; k < candidates.size(); k++) {
      String candidate = candidates.get((variant + k) % candidates.size());
      if (!candidate.equals(typed) && key.equals(phones.matchKey(candidate))) {
        return candidate;
      }
    }
    return typed;
  }
}
