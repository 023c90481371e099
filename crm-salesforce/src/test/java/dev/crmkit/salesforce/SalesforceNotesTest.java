package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerSystem;
import dev.crmkit.NoteDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Notes as Lightning notes (ContentVersion, the default) and as classic Notes ({@code noteObject=Note}) against
 * the Salesforce emulator; each test checks what the org holds afterwards.
 */
class SalesforceNotesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private final MutableClock clock = new MutableClock(NOW);
  private SalesforceEmulator emulator;

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private CustomerSystem open(SalesforceEmulator.Builder org, Map<String, String> settings) {
    emulator = org.clock(clock).build();
    TenantConfig.Builder config = TenantConfig.builder("t1", "salesforce")
        .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl());
    settings.forEach(config::setting);
    return new SalesforceCustomerSystemProvider().create(new ProviderContext(config.build(), clock, Map.of()));
  }

  /** An org with the four crmkit ContentVersion fields. */
  private CustomerSystem lightning() {
    return open(SalesforceEmulator.builder()
        .customTextField("ContentVersion", "Crmkit_Author__c", 255)
        .customDateTimeField("ContentVersion", "Crmkit_Created_At__c")
        .customTextField("ContentVersion", "Crmkit_Idempotency_Key__c", 200)
        .customLongTextAreaField("ContentVersion", "Crmkit_Text__c", 131_072), Map.of());
  }

  private CustomerSystem classic() {
    return open(SalesforceEmulator.builder(), Map.of(SalesforceCustomerSystemProvider.NOTE_OBJECT, "Note"));
  }

  private static Customer customer(CustomerSystem system) {
    return system.create(CustomerDraft.builder().firstName("Ada").lastName("Lovelace").build());
  }

  private Map<String, Object> latestVersion(String documentId) {
    Map<String, Object> document = emulator.record(documentId).orElseThrow();
    return emulator.record((String) document.get("LatestPublishedVersionId")).orElseThrow();
  }

  private static String decoded(Object base64) {
    return new String(Base64.getDecoder().decode((String) base64), StandardCharsets.UTF_8);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<CustomerNote> all(Page<CustomerNote> page) {
    List<CustomerNote> out = new ArrayList<>();
    page.autoPaging().forEach(out::add);
    return out;
  }

  private static void assertValidation(ThrowingCallable call, String field) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).anySatisfy(f -> assertThat(f.field()).isEqualTo(field)));
  }

  // ---- Lightning notes

  @Test
  void aNoteIsAContentVersionWithTheBodyAsEscapedHtmlAndTheCrmkitFields() {
    CustomerSystem system = lightning();
    Customer ada = customer(system);
    String content = "<b>Tom & \"Jerry\"</b> say 'hi'\nCaf\u00e9 \u65e5\u672c \ud83d\ude00 & <script>x</script>";

    CustomerNote note = system.addNote(ada.id(), new NoteDraft(content, "agent-7", NOW.minusSeconds(90)));

    assertThat(note.id()).startsWith("069");
    assertThat(note.customerId()).isEqualTo(ada.id());
    assertThat(note.content()).isEqualTo(content);
    assertThat(note.createdBy()).isEqualTo("agent-7");
    assertThat(note.createdAt()).isEqualTo(NOW.minusSeconds(90));
    Map<String, Object> version = latestVersion(note.id());
    assertThat(decoded(version.get("VersionData"))).isEqualTo(
        "<p>&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt; say &#39;hi&#39;</p>"
            + "<p>Caf\u00e9 \u65e5\u672c \ud83d\ude00 &amp; &lt;script&gt;x&lt;/script&gt;</p>");
    assertThat(version).containsEntry("PathOnClient", "crmkit-note.snote").containsEntry("FileType", "SNOTE")
        .containsEntry("FirstPublishLocationId", ada.id())
        .containsEntry("Title", "<b>Tom & \"Jerry\"</b> say 'hi'")
        .containsEntry("Crmkit_Author__c", "agent-7")
        .containsEntry("Crmkit_Created_At__c", NOW.minusSeconds(90))
        .containsEntry("Crmkit_Text__c", content)
        .containsEntry("Crmkit_Idempotency_Key__c", null);
    assertThat(system.listNotes(ada.id(), PageRequest.first()).items()).containsExactly(note);
  }

  @Test
  void aPageOfNotesCostsTheCustomersReadAndTwoQueriesWithoutBlobReads() {
    CustomerSystem system = lightning();
    Customer ada = customer(system);
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      system.addNote(ada.id(), NoteDraft.of("note " + i));
    }
    system.listNotes(ada.id(), PageRequest.first());
    emulator.counters().reset();

    Page<CustomerNote> page = system.listNotes(ada.id(), PageRequest.first(10));

    assertThat(page.items()).extracting(CustomerNote::content).containsExactly("note 4", "note 3", "note 2", "note 1", "note 0");
    // queryAll: the customer (deleted or merged ones too); query: its ContentDocumentLinks, then the latest versions.
    assertThat(emulator.counters().requestsByEndpoint())
        .isEqualTo(Map.of(SalesforceCounters.QUERY_ALL, 1L, SalesforceCounters.QUERY, 2L));
  }

  @Test
  void aNoteEditedInSalesforceIsReadFromItsVersionData() {
    CustomerSystem system = lightning();
    Customer ada = customer(system);
    CustomerNote note = system.addNote(ada.id(), new NoteDraft("first draft", "agent-7", NOW.minusSeconds(600), "evt:9"));
    clock.advance(Duration.ofMinutes(2));
    // A user edits the note in Lightning: a new version, without crmkit's copy of the text.
    emulator.insert("ContentVersion", Map.of("ContentDocumentId", note.id(), "Title", "Edited",
        "PathOnClient", "Edited.snote",
        "VersionData", base64("<p>Edited &amp; &lt;ok&gt; &quot;q&quot; &#39;s&#39;</p><p>line 2 &#x1F600; &#233;<br>3</p>")));
    emulator.counters().reset();

    List<CustomerNote> notes = system.listNotes(ada.id(), PageRequest.first()).items();

    assertThat(notes).hasSize(1);
    assertThat(notes.get(0).id()).isEqualTo(note.id());
    assertThat(notes.get(0).content()).isEqualTo("Edited & <ok> \"q\" 's'\nline 2 \ud83d\ude00 \u00e9\n3");
    assertThat(notes.get(0).createdBy()).isNull();
    assertThat(notes.get(0).createdAt()).isEqualTo(NOW.plus(Duration.ofMinutes(2)));
    assertThat(emulator.counters().requests(SalesforceCounters.BLOB)).isEqualTo(1);
    // The key stays on the first version: a retry returns the note as it now reads, writing nothing.
    long creates = emulator.counters().requests(SalesforceCounters.CREATE);
    assertThat(system.addNote(ada.id(), new NoteDraft("again", null, null, "evt:9"))).isEqualTo(notes.get(0));
    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isEqualTo(creates);
  }

  @Test
  void notesMadeInSalesforceComeAfterCrmkitsAndPagingCrossesThem() {
    CustomerSystem system = lightning();
    Customer ada = customer(system);
    system.addNote(ada.id(), new NoteDraft("crmkit old", null, NOW.minusSeconds(60)));
    system.addNote(ada.id(), new NoteDraft("crmkit new", null, NOW));
    for (String text : List.of("ui one", "ui two")) {
      emulator.insert("ContentVersion", Map.of("Title", text, "PathOnClient", text + ".snote",
          "VersionData", base64("<p>" + text + "</p>"), "FirstPublishLocationId", ada.id()));
    }
    // A file on the customer is not a note.
    emulator.insert("ContentVersion", Map.of("Title", "Contract", "PathOnClient", "contract.pdf",
        "VersionData", base64("%PDF-1.4"), "FirstPublishLocationId", ada.id()));

    List<CustomerNote> notes = all(system.listNotes(ada.id(), PageRequest.first(1)));

    assertThat(notes).extracting(CustomerNote::content).containsExactly("crmkit new", "crmkit old", "ui two", "ui one");
    assertThat(notes.get(2).createdAt()).isEqualTo(NOW);
    assertThat(notes.get(2).createdBy()).isNull();
  }

  @Test
  void aKeyedNoteIsWrittenOnceAndARetryReturnsTheFirst() {
    CustomerSystem system = lightning();
    Customer ada = customer(system);
    CustomerNote first = system.addNote(ada.id(), new NoteDraft("once", "agent-7", null, "evt:1:note"));
    long creates = emulator.counters().requests(SalesforceCounters.CREATE);
    clock.advance(Duration.ofMinutes(5));

    CustomerNote again = system.addNote(ada.id(), new NoteDraft("twice", null, null, "evt:1:note"));

    assertThat(again).isEqualTo(first);
    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isEqualTo(creates);
    assertThat(latestVersion(first.id())).containsEntry("Crmkit_Idempotency_Key__c", "evt:1:note");
    assertThat(all(system.listNotes(ada.id(), PageRequest.first()))).containsExactly(first);
  }

  @Test
  void anOrgWithoutTheCrmkitContentVersionFieldsIsAConfigurationErrorNamingThem() {
    CustomerSystem system = open(SalesforceEmulator.builder()
        .customTextField("ContentVersion", "Crmkit_Author__c", 255), Map.of());
    Customer ada = customer(system);

    assertThatThrownBy(() -> system.addNote(ada.id(), NoteDraft.of("hello")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ContentVersion.Crmkit_Created_At__c")
        .hasMessageContaining("ContentVersion.Crmkit_Idempotency_Key__c")
        .hasMessageContaining("ContentVersion.Crmkit_Text__c")
        .hasMessageNotContaining("Crmkit_Author__c");
    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isEqualTo(1);
  }

  @Test
  void notesOfADeletedOrUnknownCustomerAreNotFound() {
    CustomerSystem system = lightning();
    Customer ada = customer(system);
    system.delete(ada.id());

    assertThatThrownBy(() -> system.addNote(ada.id(), NoteDraft.of("late"))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> system.listNotes("003000000000999AAA", PageRequest.first()))
        .isInstanceOf(NotFoundException.class);
    assertValidation(() -> system.listNotes(ada.id(), new PageRequest(5, "sf1.bogus")), "cursor");
  }

  // ---- classic Notes

  @Test
  void aClassicNoteHasTheFirstLineAsTitleAndTheWholeNoteAsBody() {
    CustomerSystem system = classic();
    Customer ada = customer(system);
    String firstLine = "x".repeat(100);
    String content = firstLine + "\n<second> & \"line\" \u65e5\u672c";

    CustomerNote note = system.addNote(ada.id(), NoteDraft.of(content));

    assertThat(note.id()).startsWith("002");
    assertThat(note.customerId()).isEqualTo(ada.id());
    assertThat(note.content()).isEqualTo(content);
    assertThat(note.createdBy()).isNull();
    assertThat(note.createdAt()).isEqualTo(NOW);
    assertThat(emulator.record(note.id()).orElseThrow()).containsEntry("ParentId", ada.id())
        .containsEntry("Title", "x".repeat(77) + "...").containsEntry("Body", content);
    assertThat(system.listNotes(ada.id(), PageRequest.first()).items()).containsExactly(note);
  }

  @Test
  void classicNotesAreListedNewestFirstAcrossPages() {
    CustomerSystem system = classic();
    Customer ada = customer(system);
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      system.addNote(ada.id(), NoteDraft.of("note " + i));
    }
    system.addNote(ada.id(), NoteDraft.of("same second"));

    Page<CustomerNote> first = system.listNotes(ada.id(), PageRequest.first(2));

    assertThat(first.items()).extracting(CustomerNote::content).containsExactly("same second", "note 4");
    assertThat(all(system.listNotes(ada.id(), PageRequest.first(2)))).extracting(CustomerNote::content)
        .containsExactly("same second", "note 4", "note 3", "note 2", "note 1", "note 0");
  }

  @Test
  void aClassicNoteTakesItsTimeAsCreatedDateWhereAuditFieldsAreAllowed() {
    CustomerSystem system = open(SalesforceEmulator.builder().auditFieldsOnCreate(true),
        Map.of(SalesforceCustomerSystemProvider.NOTE_OBJECT, "Note", SalesforceCustomerSystemProvider.AUDIT_FIELDS, "true"));
    Customer ada = customer(system);

    CustomerNote older = system.addNote(ada.id(), new NoteDraft("older", null, NOW.minus(Duration.ofDays(3))));
    CustomerNote newer = system.addNote(ada.id(), NoteDraft.of("newer"));

    assertThat(older.createdAt()).isEqualTo(NOW.minus(Duration.ofDays(3)));
    assertThat(emulator.record(older.id()).orElseThrow()).containsEntry("CreatedDate", NOW.minus(Duration.ofDays(3)));
    assertThat(system.listNotes(ada.id(), PageRequest.first()).items()).containsExactly(newer, older);
  }

  @Test
  void aClassicNoteRefusesAnAuthorATimeAKeyAndAnOverlongBodyWritingNothing() {
    CustomerSystem system = classic();
    Customer ada = customer(system);
    long creates = emulator.counters().requests(SalesforceCounters.CREATE);

    assertValidation(() -> system.addNote(ada.id(), new NoteDraft("x", "agent-7", null)), "createdBy");
    assertValidation(() -> system.addNote(ada.id(), new NoteDraft("x", null, NOW.minusSeconds(5))), "createdAt");
    assertValidation(() -> system.addNote(ada.id(), NoteDraft.of("x").withIdempotencyKey("evt:2")), "idempotencyKey");
    assertThatThrownBy(() -> system.addNote(ada.id(), NoteDraft.of("y".repeat(32_001))))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors()).anySatisfy(f -> {
          assertThat(f.field()).isEqualTo("content");
          assertThat(f.message()).contains("32000");
        }));

    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isEqualTo(creates);
    assertThat(system.listNotes(ada.id(), PageRequest.first()).items()).isEmpty();
    assertThat(system.addNote(ada.id(), NoteDraft.of("y".repeat(32_000))).content()).hasSize(32_000);
  }
}
