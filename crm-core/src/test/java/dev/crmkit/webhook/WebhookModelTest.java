package dev.crmkit.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ValidationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookModelTest {
  private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");

  private static ChangeEvent event(ChangeEventType type) {
    return new ChangeEvent("hubspot", "1", type, "contact.x", "contact", "9", AT, null, null, null, 0, null);
  }

  @Test
  void aChangeEventCopiesItsCollectionsAndSortsAttributes() {
    List<String> merged = new ArrayList<>(List.of("2", "3"));
    Map<String, String> attributes = new HashMap<>(Map.of("portalId", "62515", "changeSource", "CRM"));
    ChangeEvent e = new ChangeEvent("hubspot", "1", ChangeEventType.MERGED, "contact.merge", "contact", "1", AT,
        null, null, merged, 2, attributes);
    merged.clear();
    attributes.clear();

    assertThat(e.mergedIds()).containsExactly("2", "3");
    assertThat(e.attributes().keySet()).containsExactly("changeSource", "portalId");
    assertThatThrownBy(() -> e.mergedIds().add("4")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(event(ChangeEventType.CREATED).mergedIds()).isEmpty();
    assertThat(event(ChangeEventType.CREATED).attributes()).isEmpty();
  }

  @Test
  void aChangeEventRejectsEachMissingOrBadPartNamingIt() {
    assertThatThrownBy(() -> new ChangeEvent(" ", "1", ChangeEventType.CREATED, "t", null, null, null, null, null, null, 0, null))
        .isInstanceOf(ValidationException.class).hasMessageContaining("vendor");
    assertThatThrownBy(() -> new ChangeEvent("v", null, ChangeEventType.CREATED, "t", null, null, null, null, null, null, 0, null))
        .isInstanceOf(ValidationException.class).hasMessageContaining("eventId");
    assertThatThrownBy(() -> new ChangeEvent("v", "1", null, "t", null, null, null, null, null, null, 0, null))
        .isInstanceOf(ValidationException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> new ChangeEvent("v", "1", ChangeEventType.CREATED, "", null, null, null, null, null, null, 0, null))
        .isInstanceOf(ValidationException.class).hasMessageContaining("rawType");
    assertThatThrownBy(() -> new ChangeEvent("v", "1", ChangeEventType.CREATED, "t", null, null, null, null, null, null, -1, null))
        .isInstanceOf(ValidationException.class).hasMessageContaining("attemptNumber '-1'");
    assertThatThrownBy(() -> new ChangeEvent("v", "1", ChangeEventType.MERGED, "t", null, null, null, null, null,
        java.util.Arrays.asList("2", null), 0, null))
        .isInstanceOf(ValidationException.class).hasMessageContaining("mergedIds");
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("portalId", null);
    assertThatThrownBy(() -> new ChangeEvent("v", "1", ChangeEventType.CREATED, "t", null, null, null, null, null, null, 0, nullValue))
        .isInstanceOf(ValidationException.class).hasMessageContaining("attributes 'portalId'");
  }

  @Test
  void aResultListsUnknownEventsWithoutDroppingThem() {
    WebhookResult result = new WebhookResult(
        List.of(event(ChangeEventType.CREATED), event(ChangeEventType.UNKNOWN)), WebhookResponse.ok(), null);

    assertThat(result.events()).hasSize(2);
    assertThat(result.unknownEvents()).extracting(ChangeEvent::type).containsExactly(ChangeEventType.UNKNOWN);
    assertThat(result.unparsed()).isEmpty();
    assertThat(result.fullyUnderstood()).isFalse();
    assertThat(new WebhookResult(List.of(event(ChangeEventType.DELETED)), WebhookResponse.ok(), List.of()).fullyUnderstood()).isTrue();
  }

  @Test
  void aResultNeedsAResponse() {
    assertThatThrownBy(() -> new WebhookResult(List.of(), null, List.of()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("response");
  }

  @Test
  void anUnparsedItemCutsLongRawTextAndNeedsAReason() {
    UnparsedItem item = new UnparsedItem(3, "eventId missing", "x".repeat(600));

    assertThat(item.raw()).hasSize(UnparsedItem.MAX_RAW).endsWith("...");
    assertThatThrownBy(() -> new UnparsedItem(-1, "r", "{}")).isInstanceOf(ValidationException.class).hasMessageContaining("index");
    assertThatThrownBy(() -> new UnparsedItem(0, " ", "{}")).isInstanceOf(ValidationException.class).hasMessageContaining("reason");
  }

  @Test
  void anOkResponseIs200WithAnEmptyBody() {
    assertThat(WebhookResponse.ok()).isEqualTo(new WebhookResponse(200, null, ""));
    assertThat(new WebhookResponse(200, "text/xml", "<ack/>").body()).isEqualTo("<ack/>");
    assertThat(new WebhookResponse(204, null, null).body()).isEmpty();
  }

  @Test
  void aResponseRejectsABadStatusOrABodyWithoutContentType() {
    assertThatThrownBy(() -> new WebhookResponse(99, null, "")).isInstanceOf(ValidationException.class).hasMessageContaining("status '99'");
    assertThatThrownBy(() -> new WebhookResponse(600, null, "")).isInstanceOf(ValidationException.class).hasMessageContaining("600");
    assertThatThrownBy(() -> new WebhookResponse(200, null, "<ack/>")).isInstanceOf(ValidationException.class).hasMessageContaining("contentType");
  }
}
