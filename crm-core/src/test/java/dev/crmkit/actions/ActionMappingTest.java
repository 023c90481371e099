package dev.crmkit.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActionMappingTest {
  @Test
  void defaultsMapEveryEventTypeAndChangesMakeNewMappings() {
    ActionMapping defaults = ActionMapping.defaults();
    for (EventType t : EventType.values()) {
      assertThat(defaults.actionFor(t)).isPresent();
    }
    List<String> ran = new ArrayList<>();
    EventAction mine = (e, c) -> ran.add("mine");
    ActionMapping replaced = defaults.with(EventType.DOCUMENT_SENT, mine);
    assertThat(replaced.actionFor(EventType.DOCUMENT_SENT)).containsSame(mine);
    assertThat(defaults.actionFor(EventType.DOCUMENT_SENT)).isNotSameAs(replaced.actionFor(EventType.DOCUMENT_SENT));
    ActionMapping extended = ActionMapping.empty().with(EventType.ORDER_PLACED, (e, c) -> ran.add("first"))
        .andThen(EventType.ORDER_PLACED, (e, c) -> ran.add("second"))
        .andThen(EventType.CALL_COMPLETED, mine);
    extended.actionFor(EventType.ORDER_PLACED).orElseThrow().perform(null, null);
    extended.actionFor(EventType.CALL_COMPLETED).orElseThrow().perform(null, null);
    assertThat(ran).containsExactly("first", "second", "mine");
    assertThat(extended.without(EventType.ORDER_PLACED).actionFor(EventType.ORDER_PLACED)).isEmpty();
    assertThatThrownBy(() -> defaults.with(null, mine)).isInstanceOf(NullPointerException.class).hasMessage("type");
    assertThatThrownBy(() -> defaults.andThen(EventType.ORDER_PLACED, null)).hasMessage("action");
  }

  @Test
  void idempotencyKeysAreStableValidForEveryProviderAndDistinct() {
    String k = ActionContext.idempotencyKey("acme", "evt-1", "deal");
    assertThat(k).matches("ev-[0-9a-f]{48}").hasSize(ActionContext.KEY_LENGTH).matches("[A-Za-z0-9-]{1,64}");
    assertThat(ActionContext.idempotencyKey("acme", "evt-1", "deal")).isEqualTo(k);
    Set<String> keys = new HashSet<>(List.of(k,
        ActionContext.idempotencyKey("acme", "evt-1", "meeting"),
        ActionContext.idempotencyKey("acme", "evt-2", "deal"),
        ActionContext.idempotencyKey("acme2", "evt-1", "deal"),
        ActionContext.idempotencyKey("a", "cme:evt-1", "deal"),
        ActionContext.idempotencyKey("acme", "evt-1de", "al")));
    assertThat(keys).hasSize(6);
    assertThat(ActionContext.idempotencyKey("t".repeat(128), "e".repeat(200), "s".repeat(1000))).hasSize(51);
  }
}
