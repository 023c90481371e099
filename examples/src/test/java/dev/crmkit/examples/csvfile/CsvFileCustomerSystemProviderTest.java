package dev.crmkit.examples.csvfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Address;
import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.NoteDraft;
import dev.crmkit.Segment;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import dev.crmkit.provider.SettingType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileCustomerSystemProviderTest {
  private static final Instant NOW = Instant.parse("2026-02-01T10:00:00Z");
  @TempDir Path dir;

  private IntegrationFactory factory() {
    return IntegrationFactory.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  private static TenantConfig config(String tenant, Path file) {
    return TenantConfig.builder(tenant, "csv-file").setting("path", file.toString()).build();
  }

  private static CustomerDraft ada() {
    return CustomerDraft.builder().firstName("Ada").lastName("Lovelace").email("Ada@Example.org")
        .phone("(415) 555-0100 x12").company("Analytical, \"Engines\"").tag("vip").tag("a,b")
        .customField("website", "https://ada.example").address(Address.ofCity("London", "GB")).build();
  }

  @Test
  void isFoundByNameThroughTheServiceLoaderWithHonestCapabilities() {
    try (IntegrationFactory f = factory()) {
      assertThat(f.providerNames()).contains("csv-file", "native");
      CustomerSystem crm = f.system(config("acme", dir.resolve("crm.csv")));

      assertThat(crm.providerName()).isEqualTo("csv-file");
      assertThat(crm.capabilities()).containsExactlyInAnyOrder(Capability.SEARCH, Capability.DELETE,
          Capability.RESTORE, Capability.BATCH_UPSERT, Capability.TAGS, Capability.CUSTOM_FIELDS);
    }
  }

  @Test
  void persistsCustomersToTheFileAndReadsThemBackInAnotherFactory() {
    Path file = dir.resolve("sub/crm.csv");
    Customer created;
    try (IntegrationFactory f = factory()) {
      created = f.system(config("acme", file)).create(ada());
    }
    assertThat(file).exists();
    assertThat(dir.resolve("sub")).isDirectoryNotContaining("glob:**.tmp");

    try (IntegrationFactory f = factory()) {
      CustomerSystem crm = f.system(config("acme", file));
      assertThat(crm.get(created.id())).contains(created);
      assertThat(created.phone()).isEqualTo("+14155550100");
      assertThat(created.phoneExtension()).isEqualTo("12");
      assertThat(created.email()).isEqualTo("ada@example.org");
      assertThat(created.tags()).containsExactly("a,b", "vip");
      assertThat(created.company()).isEqualTo("Analytical, \"Engines\"");
      assertThat(crm.findByPhone("+1 415.555.0100")).contains(created);
      assertThat(crm.findByEmail(" ADA@EXAMPLE.ORG ")).contains(created);
    }
  }

  @Test
  void rejectsASecondCustomerWithTheSameEmailNamingTheField() {
    try (IntegrationFactory f = factory()) {
      CustomerSystem crm = f.system(config("acme", dir.resolve("crm.csv")));
      Customer first = crm.create(ada());

      assertThatThrownBy(() -> crm.create(CustomerDraft.builder().firstName("Other").email("ada@example.org").build()))
          .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.getMessage()).contains("email", first.id()));
    }
  }

  @Test
  void upsertsInOneBatchCreatingUpdatingAndRejectingEachDraftAlone() throws Exception {
    Path file = dir.resolve("crm.csv");
    try (IntegrationFactory f = factory()) {
      CustomerSystem crm = f.system(config("acme", file));
      Customer ada = crm.create(ada());

      List<UpsertOutcome> outcomes = crm.upsert(List.of(
          CustomerDraft.builder().email("ada@example.org").segment(Segment.VIP).tag("lead").build(),
          CustomerDraft.builder().firstName("Bad").phone("no digits").build(),
          CustomerDraft.builder().firstName("Grace").phone("415-555-0199").build()));

      assertThat(outcomes).extracting(UpsertOutcome::status).containsExactly(UpsertOutcome.Status.UPDATED,
          UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.CREATED);
      assertThat(outcomes.get(0).customer().id()).isEqualTo(ada.id());
      assertThat(outcomes.get(0).customer().tags()).containsExactlyInAnyOrder("a,b", "vip", "lead");
      assertThat(outcomes.get(0).customer().segment()).isEqualTo(Segment.VIP);
      assertThat(outcomes.get(1).error()).isInstanceOf(ValidationException.class).hasMessageContaining("phone");
      assertThat(Files.readAllLines(file)).hasSize(3);
    }
  }

  @Test
  void upsertNeverWritesOverACustomerWhosePhoneMatchesButEmailDiffers() {
    try (IntegrationFactory f = factory()) {
      CustomerSystem crm = f.system(config("acme", dir.resolve("crm.csv")));
      Customer ada = crm.create(ada());

      List<UpsertOutcome> outcomes = crm.upsert(List.of(
          CustomerDraft.builder().firstName("Bea").email("bea@example.org").phone(ada.phone()).build(),
          CustomerDraft.builder().company("Engines").phone(ada.phone()).build(),
          CustomerDraft.builder().firstName("Kim").email("kim@example.org").phone("-4940").build(),
          CustomerDraft.builder().firstName("Lee").email("lee@example.org").phone("-4940").build()));

      assertThat(outcomes).extracting(UpsertOutcome::status).containsExactly(UpsertOutcome.Status.REJECTED,
          UpsertOutcome.Status.UPDATED, UpsertOutcome.Status.CREATED, UpsertOutcome.Status.CREATED);
      assertThat(outcomes.get(1).matchedBy()).isEqualTo(UpsertOutcome.MatchedBy.PHONE);
      assertThat(crm.require(ada.id()).firstName()).isEqualTo("Ada");
      assertThat(crm.require(ada.id()).email()).isEqualTo("ada@example.org");
    }
  }

  @Test
  void softDeletesRestoresAndSearchesWithCursorPaging() {
    try (IntegrationFactory f = factory()) {
      CustomerSystem crm = f.system(config("acme", dir.resolve("crm.csv")));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(crm.create(CustomerDraft.builder().firstName("P" + i).email("p" + i + "@example.org").build()).id());
      }
      crm.delete(ids.get(0));

      assertThat(crm.findByEmail("p0@example.org")).isEmpty();
      assertThat(crm.search(CustomerQuery.builder().limit(2).build()).stream()).hasSize(4);
      assertThat(crm.search(CustomerQuery.builder().includeDeleted(true).limit(2).build()).stream()).hasSize(5);
      assertThat(crm.search(CustomerQuery.builder().name("p3").build()).items()).extracting(Customer::id)
          .containsExactly(ids.get(3));
      assertThat(crm.restore(ids.get(0)).isDeleted()).isFalse();
      assertThat(crm.update(ids.get(1), CustomerUpdate.builder().company("Acme").build()).company()).isEqualTo("Acme");
      assertThatThrownBy(() -> crm.delete("missing")).isInstanceOf(NotFoundException.class);
    }
  }

  @Test
  void keepsTenantsApartInOneFile() {
    Path file = dir.resolve("crm.csv");
    try (IntegrationFactory f = factory()) {
      Customer a = f.system(config("tenant-a", file)).create(ada());
      CustomerSystem b = f.system(config("tenant-b", file));

      assertThat(b.get(a.id())).isEmpty();
      assertThat(b.findByEmail("ada@example.org")).isEmpty();
      assertThat(b.create(ada()).id()).isNotEqualTo(a.id());
    }
  }

  @Test
  void throwsUnsupportedCapabilityForWhatItCannotDo() {
    try (IntegrationFactory f = factory()) {
      CustomerSystem crm = f.system(config("acme", dir.resolve("crm.csv")));
      String id = crm.create(ada()).id();

      assertThatThrownBy(() -> crm.addNote(id, NoteDraft.of("hi")))
          .isInstanceOfSatisfying(UnsupportedCapabilityException.class,
              e -> assertThat(e.capability()).isEqualTo(Capability.NOTES));
      assertThatThrownBy(() -> crm.merge(id, id)).isInstanceOf(UnsupportedCapabilityException.class);
      assertThatThrownBy(() -> crm.findDuplicates(10)).isInstanceOf(UnsupportedCapabilityException.class);
      assertThatThrownBy(() -> crm.changesSince(null, 10)).isInstanceOf(UnsupportedCapabilityException.class);
    }
  }

  @Test
  void createsOneCustomerPerEmailUnderConcurrentWrites() throws Exception {
    Path file = dir.resolve("crm.csv");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (IntegrationFactory f = factory()) {
      CustomerSystem crm = f.system(config("acme", file));
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int n = i % 10;
        results.add(pool.submit(() -> {
          try {
            return crm.create(CustomerDraft.builder().firstName("P").email("p" + n + "@example.org").build()).id();
          } catch (ConflictException e) {
            return "conflict";
          }
        }));
      }
      long created = 0;
      for (Future<String> r : results) {
        created += r.get().equals("conflict") ? 0 : 1;
      }
      assertThat(created).isEqualTo(10);
      assertThat(Files.readAllLines(file)).hasSize(11);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void describesAFileCrmWithItsFeaturesAndOneRequiredPath() {
    ProviderDescriptor d = new CsvFileCustomerSystemProvider().descriptor();

    assertThat(d).isSameAs(CsvFileCustomerSystemProvider.DESCRIPTOR);
    assertThat(d.name()).isEqualTo("csv-file");
    assertThat(d.category()).isEqualTo(ProviderCategory.CRM);
    assertThat(d.authKinds()).containsExactly(AuthKind.NONE);
    assertThat(d.features()).containsExactlyInAnyOrder(Capability.SEARCH, Capability.DELETE, Capability.RESTORE,
        Capability.BATCH_UPSERT, Capability.TAGS, Capability.CUSTOM_FIELDS);
    assertThat(d.settings()).extracting(SettingDescriptor::key).containsExactly("path", "defaultRegion");
    assertThat(d.setting("path")).hasValueSatisfying(s -> {
      assertThat(s.required()).isTrue();
      assertThat(s.type()).isEqualTo(SettingType.PATH);
    });
    try (IntegrationFactory f = factory()) {
      assertThat(f.system(config("acme", dir.resolve("crm.csv"))).capabilities()).isEqualTo(d.features());
      assertThat(f.descriptors()).contains(d);
      assertThatThrownBy(() -> f.system(TenantConfig.builder("acme", "csv-file").setting("paths", "x.csv").build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("needs setting 'path'")
          .hasMessageContaining("unknown setting 'paths' (did you mean 'path'?)");
    }
  }

  @Test
  void refusesAConfigWithoutAPathAndAFileThatIsNoStore() throws Exception {
    Path foreign = dir.resolve("foreign.csv");
    Files.writeString(foreign, "a,b\n1,2\n");
    try (IntegrationFactory f = factory()) {
      assertThatThrownBy(() -> f.system(TenantConfig.builder("acme", "csv-file").build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("needs setting 'path'");
      assertThatThrownBy(() -> f.system(config("acme", foreign)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("foreign.csv");
    }
  }
}
