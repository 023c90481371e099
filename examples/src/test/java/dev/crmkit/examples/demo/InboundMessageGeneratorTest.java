package dev.crmkit.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.PhoneNumbers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class InboundMessageGeneratorTest {
  private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
  private final PhoneNumbers phones = PhoneNumbers.forRegion("US");
  private final InboundMessageGenerator generator = new InboundMessageGenerator(phones);
  private final List<Customer> known = customers(200);

  private static List<Customer> customers(int n) {
    List<Customer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Customer.builder().id("c" + i).tenantId("t").firstName("First" + i).lastName("Last" + i)
          .email("person" + i + "@shop.example").phone(String.format("+1415%07d", 5_550_000 + i))
          .createdAt(START).updatedAt(START).build());
    }
    return out;
  }

  @Test
  void generatesTheSameMessagesForTheSameInputsAndSeed() {
    List<ScriptedMessage> a = generator.generate("t", known, 500, 42, START);
    List<ScriptedMessage> b = generator.generate("t", known, 500, 42, START);

    assertThat(a).hasSize(500).isEqualTo(b);
  }

  @Test
  void generatesOtherMessagesForAnotherSeed() {
    assertThat(generator.generate("t", known, 100, 1, START)).isNotEqualTo(generator.generate("t", known, 100, 2, START));
  }

  @Test
  void mixesEveryKindOverSmsWhatsAppAndEmail() {
    List<ScriptedMessage> messages = generator.generate("t", known, 2_000, 7, START);

    Map<ScriptedMessage.Kind, Long> kinds = messages.stream()
        .collect(Collectors.groupingBy(ScriptedMessage::kind, Collectors.counting()));
    assertThat(kinds).containsOnlyKeys(ScriptedMessage.Kind.values());
    assertThat(kinds.get(ScriptedMessage.Kind.KNOWN_PHONE) + kinds.get(ScriptedMessage.Kind.KNOWN_EMAIL))
        .isBetween(700L, 900L);
    assertThat(messages).extracting(m -> m.message().channel()).contains(Channel.SMS, Channel.WHATSAPP, Channel.EMAIL);
    assertThat(messages).extracting(ScriptedMessage::expected).contains(ScriptedMessage.Expected.values());
  }

  @Test
  void writesKnownPhonesInOtherFormatsThatNormalizeToTheStoredNumber() {
    List<ScriptedMessage> messages = generator.generate("t", known, 1_000, 3, START);

    List<ScriptedMessage> knownPhones = messages.stream()
        .filter(m -> m.kind() == ScriptedMessage.Kind.KNOWN_PHONE).toList();
    assertThat(knownPhones).isNotEmpty().allSatisfy(m -> {
      assertThat(m.message().from()).doesNotStartWith("+1415");
      assertThat(phones.matchKey(m.message().from())).startsWith("+1415555");
      assertThat(m.expected()).isEqualTo(ScriptedMessage.Expected.MATCHED);
    });
    assertThat(knownPhones.stream().map(m -> m.message().from().replaceAll("[0-9]", "9")).distinct().count())
        .isGreaterThanOrEqualTo(5);
  }

  /** A North American number in E.164: area code and exchange from 2xx to 9xx, any line number. */
  @Provide
  Arbitrary<String> nanpNumbers() {
    Arbitrary<Integer> areaOrExchange = Arbitraries.integers().between(200, 999);
    Arbitrary<Integer> line = Arbitraries.integers().between(0, 9_999);
    return Combinators.combine(areaOrExchange, areaOrExchange, line)
        .as((a, e, l) -> String.format("+1%03d%03d%04d", a, e, l));
  }

  @Property(tries = 300)
  void reformatsANumberInEveryFormatToTheSameMatchKey(@ForAll("nanpNumbers") String e164, @ForAll long seed) {
    String formatted = generator.reformat(e164, new Random(seed));

    assertThat(phones.matchKey(formatted)).as(formatted).isEqualTo(e164);
  }

  @Test
  void writesKnownEmailsUpperCasedWithSpacesAndExpectsAMatch() {
    List<ScriptedMessage> emails = generator.generate("t", known, 1_000, 5, START).stream()
        .filter(m -> m.kind() == ScriptedMessage.Kind.KNOWN_EMAIL).toList();

    assertThat(emails).isNotEmpty().allSatisfy(m -> {
      assertThat(m.message().from()).isUpperCase();
      assertThat(EmailAddresses.normalize(m.message().from())).endsWith("@shop.example");
      assertThat(m.expected()).isEqualTo(ScriptedMessage.Expected.MATCHED);
    });
  }

  @Test
  void expectsNewPeopleCreatedOnceRedeliveriesAsDuplicatesAndMalformedSendersRejected() {
    List<ScriptedMessage> messages = generator.generate("t", known, 2_000, 11, START);

    assertThat(messages).filteredOn(m -> m.kind() == ScriptedMessage.Kind.NEW_PERSON)
        .allSatisfy(m -> assertThat(m.expected()).isEqualTo(ScriptedMessage.Expected.CREATED));
    assertThat(messages).filteredOn(m -> m.kind() == ScriptedMessage.Kind.RETURNING_NEW_PERSON)
        .allSatisfy(m -> assertThat(m.expected()).isEqualTo(ScriptedMessage.Expected.MATCHED));
    java.util.Set<String> firstDeliveries = messages.stream().filter(m -> m.kind() != ScriptedMessage.Kind.REDELIVERY)
        .map(m -> m.message().messageId()).collect(Collectors.toSet());
    assertThat(messages).filteredOn(m -> m.kind() == ScriptedMessage.Kind.REDELIVERY).isNotEmpty().allSatisfy(m -> {
      assertThat(m.expected()).isEqualTo(ScriptedMessage.Expected.DUPLICATE);
      assertThat(firstDeliveries).contains(m.message().messageId());
    });
    assertThat(messages).filteredOn(m -> m.kind() == ScriptedMessage.Kind.MALFORMED_SENDER)
        .allSatisfy(m -> assertThat(m.expected()).isEqualTo(ScriptedMessage.Expected.REJECTED));
  }

  @Test
  void writesPlusAliasesOfKnownEmailsThatShareTheLooseKey() {
    List<ScriptedMessage> aliases = generator.generate("t", known, 2_000, 13, START).stream()
        .filter(m -> m.kind() == ScriptedMessage.Kind.PLUS_ALIAS).toList();

    assertThat(aliases).isNotEmpty().allSatisfy(m -> {
      assertThat(m.message().from()).contains("+shop@shop.example");
      assertThat(EmailAddresses.looseKey(m.message().from())).matches("person\\d+@shop\\.example");
    });
    assertThat(aliases.get(0).expected()).isEqualTo(ScriptedMessage.Expected.CREATED);
  }

  @Test
  void generatesMessagesWithoutKnownCustomers() {
    List<ScriptedMessage> messages = generator.generate("t", List.of(), 100, 1, START);

    assertThat(messages).hasSize(100).noneMatch(m -> m.kind() == ScriptedMessage.Kind.KNOWN_PHONE
        || m.kind() == ScriptedMessage.Kind.KNOWN_EMAIL || m.kind() == ScriptedMessage.Kind.PLUS_ALIAS);
  }

  @Test
  void rejectsANegativeCountNamingIt() {
    assertThatThrownBy(() -> generator.generate("t", known, -1, 1, START))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be 0 or more: -1");
    assertThat(generator.generate("t", known, 0, 1, START)).isEmpty();
  }
}
