package dev.crmkit;

import static dev.crmkit.DealDraftTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import org.junit.jupiter.api.Test;

class NoteDraftTest {
  @Test
  void aNoteDraftTakesAnOptionalIdempotencyKeyButNeverABlankOne() {
    assertThat(new NoteDraft("hi", null, null).idempotencyKey()).isNull();
    assertThat(NoteDraft.of("hi").withIdempotencyKey("evt:1").idempotencyKey()).isEqualTo("evt:1");
    assertRejected(() -> new NoteDraft("hi", null, null, " "), "idempotencyKey", " ");
    assertRejected(() -> NoteDraft.of("hi").withIdempotencyKey(""), "idempotencyKey", "");
    assertThatThrownBy(() -> new NoteDraft("hi", null, null, "k".repeat(201)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("idempotencyKey"));
  }
}
