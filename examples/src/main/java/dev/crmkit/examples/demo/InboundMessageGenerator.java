package dev.crmkit.examples.demo;

import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.inbound.InboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Generates a deterministic stream of inbound SMS, WhatsApp and email messages for the demo: the same
 * known customers, count, seed, tenant and start time always give the same messages.
 *
 * <p>The mix: about 40% from known customers (phones written in other formats such as
 * {@code +1 (415) 555-0100}, {@code 415.555.0100} or {@code 001-415-555-0100}; emails upper-cased
 * with spaces), 22% from new people, 10% from those new people again, 12% redeliveries of an earlier
 * message (same message id), 10% from a plus-tagged alias of a known customer's email, and 6% with a
 * malformed sender. Each message carries the outcome a tenant holding exactly the known customers
 * must produce, found by replaying the identity keys the way the first-contact handler matches them.
 *
 * <p>Immutable and thread-safe.
 */
public final class InboundMessageGenerator {
  private static final String[] FIRST = {"Ana", "Ben", "Chloé", "Dmitri", "Emma", "Farid", "Grace", "Hiro", "Ines",
      "Jonas", "Kofi", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor",
      "Wen", "Ximena", "Yusuf", "Zara", "Aiko", "Bruno", "Carmen", "Dario", "Elif", "Felix", "Giulia", "Hamza",
      "Ingrid", "Jamal", "Kaia", "Luca", "Maya", "Nikolai"};
  private static final String[] LAST = {"Silva", "Okafor", "Müller", "Tanaka", "Rossi", "Novak", "Haddad", "Kim",
      "Larsen", "Moreau", "Patel", "Quispe", "Reyes", "Schmidt", "Weber", "Andersen", "Bianchi", "Costa", "Dubois",
      "Eriksen", "Fischer", "García", "Horvat", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Mendes", "Nakamura",
      "Oliveira", "Petrov", "Ramos", "Sato", "Torres", "Urban", "Vargas", "Wagner", "Yilmaz", "Zhang", "Ahmed"};
  private static final String[] TEXTS = {"Hi, is my order ready?", "Can I book a table for two tonight?",
      "What are your opening hours?", "I'd like to reschedule my appointment.", "Do you ship to Canada?",
      "Thanks for the quick reply!", "Is the blue one still in stock?", "Please call me back."};
  private static final String[] MALFORMED_PHONES = {"unknown", "+--", "call me", "n/a"};
  private static final String[] MALFORMED_EMAILS = {"jane.doe@", "@example.org", "john..smith@example.org",
      "no-at-sign.example.org"};

  private final PhoneNumbers phones;

  /**
   * @param phones normalization for the tenant's default region, the one the handler uses
   */
  public InboundMessageGenerator(PhoneNumbers phones) {
    this.phones = Objects.requireNonNull(phones, "phones");
  }

  /**
   * Generates messages.
   *
   * @param tenantId the tenant the messages are sent to
   * @param known the tenant's customers before the first message; their email and phone keys decide
   *     which senders match
   * @param count how many messages, 0 or more
   * @param seed the random seed
   * @param start the first message's time; each next one comes 1 to 90 seconds later
   * @return {@code count} messages in delivery order; never null
   * @throws IllegalArgumentException naming {@code count} and the value when negative
   */
  public List<ScriptedMessage> generate(String tenantId, List<Customer> known, int count, long seed, Instant start) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be 0 or more: " + count);
    }
    Random random = new Random(seed);
    List<Customer> withEmail = known.stream().filter(c -> c.email() != null && !c.isDeleted()).toList();
    List<Customer> withNanpPhone = known.stream()
        .filter(c -> !c.isDeleted() && c.phone() != null && c.phone().startsWith("+1") && c.phone().length() == 12)
        .toList();
    Set<String> keys = new HashSet<>();
    for (Customer c : known) {
      if (!c.isDeleted()) {
        if (c.email() != null) {
          keys.add("e:" + c.email());
        }
        String k = phones.matchKey(c.phone());
        if (k != null) {
          keys.add("p:" + k);
        }
      }
    }
    List<ScriptedMessage> out = new ArrayList<>(count);
    List<ScriptedMessage> delivered = new ArrayList<>();
    List<InboundMessage> newPeople = new ArrayList<>();
    Set<String> usedNames = new HashSet<>();
    for (Customer c : known) {
      usedNames.add(c.firstName() + " " + c.lastName());
    }
    Instant time = start;
    for (int i = 0; i < count; i++) {
      time = time.plusSeconds(1 + random.nextInt(90));
      String id = String.format("m%06d", i);
      double roll = random.nextDouble();
      ScriptedMessage.Kind kind;
      InboundMessage message;
      if (roll < 0.12 && !delivered.isEmpty()) {
        InboundMessage earlier = delivered.get(random.nextInt(delivered.size())).message();
        message = new InboundMessage(tenantId, earlier.channel(), earlier.from(), earlier.senderName(), earlier.text(),
            earlier.messageId(), earlier.receivedAt().plus(Duration.ofSeconds(5)));
        out.add(new ScriptedMessage(ScriptedMessage.Kind.REDELIVERY, message, ScriptedMessage.Expected.DUPLICATE));
        continue;
      } else if (roll < 0.32 && !withNanpPhone.isEmpty()) {
        kind = ScriptedMessage.Kind.KNOWN_PHONE;
        Customer c = withNanpPhone.get(random.nextInt(withNanpPhone.size()));
        Channel channel = random.nextBoolean() ? Channel.SMS : Channel.WHATSAPP;
        message = new InboundMessage(tenantId, channel, reformat(c.phone(), random), whatsAppName(channel, c),
            text(random), id, time);
      } else if (roll < 0.52 && !withEmail.isEmpty()) {
        kind = ScriptedMessage.Kind.KNOWN_EMAIL;
        Customer c = withEmail.get(random.nextInt(withEmail.size()));
        message = new InboundMessage(tenantId, Channel.EMAIL, "  " + c.email().toUpperCase(java.util.Locale.ROOT) + " ",
            c.fullName(), text(random), id, time);
      } else if (roll < 0.74) {
        kind = ScriptedMessage.Kind.NEW_PERSON;
        message = newPerson(tenantId, id, time, i, random, keys, usedNames);
        newPeople.add(message);
      } else if (roll < 0.84 && !newPeople.isEmpty()) {
        kind = ScriptedMessage.Kind.RETURNING_NEW_PERSON;
        InboundMessage first = newPeople.get(random.nextInt(newPeople.size()));
        message = new InboundMessage(tenantId, first.channel(), first.from(), first.senderName(), text(random), id, time);
      } else if (roll < 0.94 && !withEmail.isEmpty()) {
        kind = ScriptedMessage.Kind.PLUS_ALIAS;
        Customer c = withEmail.get(random.nextInt(withEmail.size()));
        String email = c.email();
        int at = email.lastIndexOf('@');
        message = new InboundMessage(tenantId, Channel.EMAIL, email.substring(0, at) + "+shop" + email.substring(at),
            c.fullName(), text(random), id, time);
      } else {
        kind = ScriptedMessage.Kind.MALFORMED_SENDER;
        boolean email = random.nextBoolean();
        String from = email ? MALFORMED_EMAILS[random.nextInt(MALFORMED_EMAILS.length)]
            : MALFORMED_PHONES[random.nextInt(MALFORMED_PHONES.length)];
        message = new InboundMessage(tenantId, email ? Channel.EMAIL : Channel.SMS, from, null, text(random), id, time);
      }
      ScriptedMessage.Expected expected = expect(message, keys);
      ScriptedMessage scripted = new ScriptedMessage(kind, message, expected);
      out.add(scripted);
      if (expected != ScriptedMessage.Expected.REJECTED) {
        delivered.add(scripted);
      }
    }
    return out;
  }

  private ScriptedMessage.Expected expect(InboundMessage message, Set<String> keys) {
    String key;
    try {
      key = message.fromEmail() ? "e:" + EmailAddresses.normalize(message.from(), "from")
          : "p:" + phones.normalize(message.from(), "from").matchKey();
    } catch (ValidationException e) {
      return ScriptedMessage.Expected.REJECTED;
    }
    return keys.add(key) ? ScriptedMessage.Expected.CREATED : ScriptedMessage.Expected.MATCHED;
  }

  private InboundMessage newPerson(String tenantId, String id, Instant time, int i, Random random, Set<String> keys,
      Set<String> usedNames) {
    String first = FIRST[random.nextInt(FIRST.length)];
    String last = LAST[random.nextInt(LAST.length)];
    // Give each new person a name nobody else has, so duplicate detection by name finds only real duplicates.
    boolean named = usedNames.add(first + " " + last);
    int pick = random.nextInt(3);
    if (pick == 0) {
      String email = (first + "." + last).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z.]", "") + "." + i
          + "@mail.example";
      return new InboundMessage(tenantId, Channel.EMAIL, email, named ? first + " " + last : null, text(random), id,
          time);
    }
    String phone;
    do {
      // 555-01xx numbers are reserved for fiction; the area code is random.
      phone = String.format("+1%03d5550%03d", 200 + random.nextInt(800), 100 + random.nextInt(100));
    } while (keys.contains("p:" + phones.matchKey(phone)));
    Channel channel = pick == 1 ? Channel.SMS : Channel.WHATSAPP;
    return new InboundMessage(tenantId, channel, reformat(phone, random),
        channel == Channel.WHATSAPP && named ? first + " " + last : null, text(random), id, time);
  }

  /**
   * The number in a randomly chosen other format that still normalizes to the same match key; the
   * E.164 form itself when no other format does.
   */
  String reformat(String e164, Random random) {
    String a = e164.substring(2, 5);
    String e = e164.substring(5, 8);
    String l = e164.substring(8);
    List<Function<String[], String>> formats = List.of(
        p -> "+1 (" + p[0] + ") " + p[1] + "-" + p[2],
        p -> p[0] + "." + p[1] + "." + p[2],
        p -> "001-" + p[0] + "-" + p[1] + "-" + p[2],
        p -> "(" + p[0] + ") " + p[1] + " " + p[2],
        p -> "1-" + p[0] + "-" + p[1] + "-" + p[2],
        p -> p[0] + p[1] + p[2],
        p -> "+1-" + p[0] + "-" + p[1] + "-" + p[2]);
    String target = phones.matchKey(e164);
    int offset = random.nextInt(formats.size());
    for (int k = 0; k < formats.size(); k++) {
      String candidate = formats.get((offset + k) % formats.size()).apply(new String[] {a, e, l});
      if (target.equals(phones.matchKey(candidate))) {
        return candidate;
      }
    }
    return e164;
  }

  private static String whatsAppName(Channel channel, Customer c) {
    return channel == Channel.WHATSAPP ? c.fullName() : null;
  }

  private static String text(Random random) {
    return TEXTS[random.nextInt(TEXTS.length)];
  }
}
