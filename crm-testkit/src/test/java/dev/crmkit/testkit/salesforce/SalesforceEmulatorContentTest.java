package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Salesforce Files and Lightning notes: ContentVersion, ContentDocument, ContentDocumentLink, VersionData. */
class SalesforceEmulatorContentTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock)
      .customTextField("ContentVersion", "Crmkit_Author__c", 255).build();
  private final SalesforceHttp http = new SalesforceHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private String contact() {
    return http.create("Contact", "{\"LastName\":\"Lovelace\"}");
  }

  @Test
  void aVersionInsertCreatesItsDocumentAndLinksItToTheFirstPublishLocation() {
    String contact = contact();
    String version = http.create("ContentVersion", "{\"Title\":\"Call back\",\"PathOnClient\":\"note.snote\","
        + "\"VersionData\":\"" + base64("<p>Call back</p>") + "\",\"FirstPublishLocationId\":\"" + contact + "\","
        + "\"Crmkit_Author__c\":\"agent-7\"}");

    assertThat(version).startsWith("068");
    JsonNode row = http.query("SELECT ContentDocumentId, IsLatest, FileType, FileExtension, ContentSize, VersionNumber, "
        + "Crmkit_Author__c, VersionData FROM ContentVersion WHERE Id = '" + version + "'").json().get("records").get(0);
    String document = row.get("ContentDocumentId").asText();
    assertThat(document).startsWith("069");
    assertThat(row.get("IsLatest").asBoolean()).isTrue();
    assertThat(row.get("FileType").asText()).isEqualTo("SNOTE");
    assertThat(row.get("FileExtension").asText()).isEqualTo("snote");
    assertThat(row.get("ContentSize").asInt()).isEqualTo("<p>Call back</p>".length());
    assertThat(row.get("VersionNumber").asText()).isEqualTo("1");
    assertThat(row.get("Crmkit_Author__c").asText()).isEqualTo("agent-7");
    assertThat(row.get("VersionData").asText())
        .isEqualTo("/services/data/v59.0/sobjects/ContentVersion/" + version + "/VersionData");
    JsonNode links = http.query("SELECT ContentDocumentId, LinkedEntityId, ShareType FROM ContentDocumentLink "
        + "WHERE LinkedEntityId = '" + contact + "'").json().get("records");
    assertThat(links).hasSize(1);
    assertThat(links.get(0).get("ContentDocumentId").asText()).isEqualTo(document);
    assertThat(links.get(0).get("ShareType").asText()).isEqualTo("I");
    assertThat(emulator.record(document).orElseThrow()).containsEntry("LatestPublishedVersionId", version)
        .containsEntry("Title", "Call back").containsEntry("FileType", "SNOTE");
  }

  @Test
  void theBlobResourceServesTheVersionDataBytes() {
    String content = "<p>Caf\u00e9 &amp; \u65e5\u672c \ud83d\ude00</p>";
    String version = http.create("ContentVersion", "{\"Title\":\"x\",\"PathOnClient\":\"x.snote\",\"VersionData\":\""
        + base64(content) + "\"}");

    SalesforceHttp.Answer blob = http.get("/sobjects/ContentVersion/" + version + "/VersionData");

    assertThat(blob.status()).isEqualTo(200);
    assertThat(blob.header("Content-Type")).startsWith("application/octet-stream");
    assertThat(blob.text()).isEqualTo(content);
    assertThat(emulator.counters().requests(SalesforceCounters.BLOB)).isEqualTo(1);
    assertThat(http.get("/sobjects/ContentVersion/" + version + "/Title").status()).isEqualTo(404);
  }

  @Test
  void aVersionOfAnExistingDocumentBecomesTheLatest() {
    String first = http.create("ContentVersion", "{\"Title\":\"v1\",\"PathOnClient\":\"n.snote\",\"VersionData\":\""
        + base64("<p>one</p>") + "\",\"FirstPublishLocationId\":\"" + contact() + "\"}");
    String document = (String) emulator.record(first).orElseThrow().get("ContentDocumentId");

    String second = emulator.insert("ContentVersion", Map.of("ContentDocumentId", document, "Title", "v2",
        "PathOnClient", "n.snote", "VersionData", base64("<p>two</p>")));

    assertThat(emulator.record(first).orElseThrow()).containsEntry("IsLatest", false);
    assertThat(emulator.record(second).orElseThrow()).containsEntry("IsLatest", true).containsEntry("VersionNumber", "2");
    assertThat(emulator.record(document).orElseThrow()).containsEntry("LatestPublishedVersionId", second)
        .containsEntry("Title", "v2");
    JsonNode latest = http.query("SELECT Id FROM ContentVersion WHERE ContentDocumentId = '" + document
        + "' AND IsLatest = true").json().get("records");
    assertThat(latest).hasSize(1);
    assertThat(latest.get(0).get("Id").asText()).isEqualTo(second);
  }

  @Test
  void aVersionWithoutDataOrWithBadBase64IsRefused() {
    SalesforceHttp.Answer missing = http.post("/sobjects/ContentVersion", "{\"Title\":\"x\",\"PathOnClient\":\"x.snote\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(missing.json().get(0).get("fields").toString()).contains("VersionData");

    SalesforceHttp.Answer bad = http.post("/sobjects/ContentVersion",
        "{\"Title\":\"x\",\"PathOnClient\":\"x.snote\",\"VersionData\":\"not base64!\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorCode()).isEqualTo("JSON_PARSER_ERROR");
  }

  @Test
  void documentsAreCreatedOnlyThroughVersionsAndDescribeShowsTheBase64Field() {
    SalesforceHttp.Answer direct = http.post("/sobjects/ContentDocument", "{\"Title\":\"x\"}");
    assertThat(direct.status()).isEqualTo(400);
    assertThat(direct.errorCode()).isEqualTo("INVALID_TYPE_FOR_OPERATION");

    JsonNode fields = http.get("/sobjects/ContentVersion/describe").json().get("fields");
    assertThat(fields).anySatisfy(f -> {
      assertThat(f.get("name").asText()).isEqualTo("VersionData");
      assertThat(f.get("type").asText()).isEqualTo("base64");
    });
    assertThat(fields).anySatisfy(f -> assertThat(f.get("name").asText()).isEqualTo("Crmkit_Author__c"));
  }

  @Test
  void classicNotesNeedAParentAndATitle() {
    SalesforceHttp.Answer missing = http.post("/sobjects/Note", "{\"Body\":\"x\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(missing.json().get(0).get("fields").toString()).contains("ParentId", "Title");
  }
}
