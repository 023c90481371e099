package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.NoteDraft;
import dev.crmkit.PageRequest;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The store never sees a value it cannot hold: for any text, either every database stores it and
 * reads back exactly what was given, or the store rejects it with a {@link ValidationException}
 * before writing anything — never a database error, never an altered value. The texts mix ASCII,
 * characters that lengthen when lower-cased or decomposed ({@code İ}, Hangul), surrogate pairs, lone
 * surrogates and {@code U+0000}, at lengths around the limits. Run on each database by a subclass.
 */
abstract class NativeTextRoundTripProperties {
  private static final Map<Class<?>, DataSource> MIGRATED = new ConcurrentHashMap<>();

  abstract DataSource createDataSource();

  private NativeCustomerSystem freshTenant() {
    DataSource ds = MIGRATED.computeIfAbsent(getClass(), k -> {
      DataSource created = createDataSource();
      NativeSchema.migrate(created);
      return created;
    });
    return NativeCustomerSystem.open(ds, "tenant-" + UUID.randomUUID(),
        new TickingClock(Instant.parse("2025-03-01T10:00:00Z")), PhoneNumbers.forRegion("US"));
  }

  /** The documented rule, written out independently of the code under test. */
  private static boolean holdable(String s, int max) {
    if (s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0 || Character.isLowSurrogate(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> pieces = Arbitraries.of("a", "Z", " ", "\u0130", "\uD55C", "\u00DF", "\uD83D\uDE00", "\uD83D",
        "\uDE00", "\u0000", "e\u0301");
    return Arbitraries.oneOf(
        pieces.list().ofMinSize(1).ofMaxSize(20).map(l -> String.join("", l)),
        pieces.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("", l))
            .flatMap(unit -> Arbitraries.integers().between(200, 300).map(unit::repeat)));
  }

  @Property(tries = 40)
  void aNameIsStoredExactlyOrRejectedBeforeAnythingIsWritten(@ForAll("texts") String name) {
    NativeCustomerSystem crm = freshTenant();
    CustomerDraft draft = new CustomerDraft(name, name, null, null, "Co", null, null, null, null, null, null,
        Map.of("note", name), null, null);

    Throwable failure = catchThrowable(() -> {
      Customer stored = crm.create(draft);
      Customer read = crm.require(stored.id());
      assertThat(read.firstName()).isEqualTo(name);
      assertThat(read.lastName()).isEqualTo(name);
      assertThat(read.customFields()).containsEntry("note", name);
    });

    if (holdable(name, 255)) {
      assertThat(failure).isNull();
    } else {
      assertThat(failure).isInstanceOf(ValidationException.class);
      assertThat(crm.changesSince(null, 10).changes()).isEmpty();
    }
  }

  @Property(tries = 40)
  void aNoteIsStoredExactlyOrRejectedBeforeAnythingIsWritten(@ForAll("texts") String author) {
    NativeCustomerSystem crm = freshTenant();
    Customer owner = crm.create(CustomerDraft.builder().firstName("Owner").build());
    String content = "n:" + author;

    Throwable failure = catchThrowable(() -> crm.addNote(owner.id(), new NoteDraft(content, author, null)));

    // NoteDraft documents createdBy as at most 255 characters after trimming, and blank as absent.
    boolean ok = holdable(author.strip(), 255) && holdable(content.strip(), 65_536);
    if (ok) {
      assertThat(failure).isNull();
      assertThat(crm.listNotes(owner.id(), PageRequest.first()).items()).singleElement().satisfies(n -> {
        assertThat(n.content()).isEqualTo(content.strip());
        assertThat(n.createdBy()).isEqualTo(author.isBlank() ? null : author.strip());
      });
    } else {
      assertThat(failure).isInstanceOf(ValidationException.class);
      assertThat(crm.listNotes(owner.id(), PageRequest.first()).items()).isEmpty();
    }
  }
}
