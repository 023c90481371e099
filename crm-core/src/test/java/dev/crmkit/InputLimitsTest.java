package dev.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.inbound.InboundMessage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Every domain input names the field, the limit and a short prefix of the value it rejects. */
class InputLimitsTest {
  private static final Instant T = Instant.parse("2025-06-01T12:00:00Z");

  private static List<FieldError> rejection(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(ValidationException.class);
    return ((ValidationException) thrown).fieldErrors();
  }

  private static FieldError only(ThrowingCallable call) {
    List<FieldError> errors = rejection(call);
    assertThat(errors).hasSize(1);
    return errors.get(0);
  }

  @Test
  void aCustomFieldValueOverSixtyFiveThousandFiveHundredThirtySixCharactersIsRejectedByTheBuilder() {
    FieldError e = only(() -> CustomerDraft.builder().firstName("Ada").customField("bio", "x".repeat(65_537)).build());

    assertThat(e.field()).isEqualTo("customFields.bio");
    assertThat(e.message()).contains("65536");
    assertThat(e.value()).hasSizeLessThanOrEqualTo(80).startsWith("xxx").endsWith("...");
    assertThat(CustomerDraft.builder().firstName("Ada").customField("bio", "x".repeat(65_536)).build()
        .customFields().get("bio")).hasSize(65_536);
    assertThat(only(() -> CustomerUpdate.builder().customFields(Map.of("bio", "y".repeat(70_000))).build()).field())
        .isEqualTo("customFields.bio");
  }

  @Test
  void aPhoneOverSixtyFourCharactersIsRejectedByTheBuildersAsEveryStoreWould() {
    String phone = "+1 415 555 0100 ext. " + "1".repeat(44);

    assertThat(phone).hasSize(65);
    assertThat(only(() -> CustomerDraft.builder().phone(phone).build()).field()).isEqualTo("phone");
    assertThat(only(() -> CustomerUpdate.builder().phone(phone).build()).field()).isEqualTo("phone");
    assertThat(CustomerDraft.builder().phone(phone.substring(1)).build().phone()).hasSize(64);
  }

  @Test
  void nulCharactersAndLoneSurrogatesAreRejectedInEveryTextFieldNamingIt() {
    assertThat(rejection(() -> CustomerDraft.builder().firstName("A\u0000da").lastName("L\uD800").company("\uDC00Co")
        .tag("v\u0000ip").customField("plan", "p\u0000").address(new Address("1\u0000 Main", null, null, null, null,
            null)).build()))
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("firstName", "lastName", "company", "tags", "customFields.plan", "address.line1");
    assertThat(only(() -> CustomerUpdate.builder().firstName("Bad\u0000").build()).field()).isEqualTo("firstName");
    assertThat(only(() -> NoteDraft.of("hi\u0000")).field()).isEqualTo("content");
    assertThat(only(() -> new NoteDraft("hi", "agent\uD83D", null)).field()).isEqualTo("createdBy");
    assertThat(only(() -> ActivityDraft.of(ActivityType.OTHER, null, "d\u0000")).field()).isEqualTo("description");
    assertThat(only(() -> new ActivityDraft(ActivityType.OTHER, null, null, null, Map.of("k", "v\uDC00"), null))
        .field()).isEqualTo("metadata.k");
    assertThat(only(() -> new OrderDraft("o\u0000", Money.of("1", "USD"), T)).field()).isEqualTo("orderId");
    assertThat(only(() -> new InboundMessage("shop", Channel.SMS, "+14155550100", null, "hi\u0000", "m1", T))
        .field()).isEqualTo("text");
    // A well-formed pair is text like any other.
    assertThat(CustomerDraft.builder().firstName("Ada \uD83D\uDE00").build().firstName()).isEqualTo("Ada \uD83D\uDE00");
  }

  @Test
  void theRejectedValueIsShownCutAndWithItsControlCharactersEscaped() {
    FieldError e = only(() -> NoteDraft.of("\u0000" + "n".repeat(70_000)));

    assertThat(e.value()).startsWith("\\u0000nnn").endsWith("...").hasSizeLessThanOrEqualTo(85);
    assertThat(new ValidationException(null, List.of(e)).getMessage()).doesNotContain("\u0000");
    FieldError email = only(() -> CustomerDraft.builder().email("a".repeat(100_000) + "@example.com").build());
    assertThat(email.field()).isEqualTo("email");
    assertThat(email.value()).hasSizeLessThanOrEqualTo(80);
  }

  @Test
  void aNoteOverSixtyFiveThousandFiveHundredThirtySixCharactersOrAnAuthorOverTwoHundredFiftyFiveIsRejected() {
    FieldError content = only(() -> NoteDraft.of("n".repeat(65_537)));
    FieldError author = only(() -> new NoteDraft("fine", "a".repeat(256), null));

    assertThat(content.field()).isEqualTo("content");
    assertThat(content.message()).contains("65536");
    assertThat(author.field()).isEqualTo("createdBy");
    assertThat(author.message()).contains("255");
    assertThat(new NoteDraft("fine", "a".repeat(255), null).createdBy()).hasSize(255);
  }

  @Test
  void metadataKeysOverTwoHundredFiftyFiveCharactersAndNullKeysOrValuesAreRejectedNamingTheField() {
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "v");
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("k", null);

    assertThat(only(() -> new ActivityDraft(ActivityType.OTHER, null, null, null, Map.of("k".repeat(256), "v"), null))
        .field()).isEqualTo("metadata");
    assertThat(only(() -> new ActivityDraft(ActivityType.OTHER, null, null, null, nullKey, null)).field())
        .isEqualTo("metadata");
    assertThat(only(() -> new ActivityDraft(ActivityType.OTHER, null, null, null, nullValue, null)).field())
        .isEqualTo("metadata.k");
    assertThat(only(() -> new ActivityDraft(ActivityType.OTHER, null, null, null, Map.of("k", "v".repeat(65_537)),
        null)).field()).isEqualTo("metadata.k");
  }

  @Test
  void orderIdsOverTwoHundredFiftyFiveCharactersAndAmountsTheColumnCannotHoldAreRejected() {
    assertThat(only(() -> new OrderDraft("o".repeat(256), Money.of("1", "USD"), T)).field()).isEqualTo("orderId");
    FieldError huge = only(() -> new OrderDraft("o-1", Money.of("1e20", "USD"), T));
    assertThat(huge.field()).isEqualTo("amount");
    assertThat(huge.message()).contains("10^15");
    assertThat(only(() -> new OrderDraft("o-1", Money.of("1000000000000000", "USD"), T)).field()).isEqualTo("amount");
    FieldError fine = only(() -> new OrderDraft("o-1", Money.of("0.12345", "USD"), T));
    assertThat(fine.field()).isEqualTo("amount");
    assertThat(fine.value()).isEqualTo("0.12345 USD");
    assertThat(fine.message()).contains("4 digits after the decimal point");
    assertThat(new OrderDraft("o-1", Money.of("999999999999999.9999", "USD"), T).amount().amount())
        .isEqualByComparingTo("999999999999999.9999");
    assertThat(new OrderDraft("o-1", Money.of("10.50000", "USD"), T).amount().amount()).isEqualByComparingTo("10.5");
  }

  @Test
  void moneyWithoutAnAmountOrCurrencyIsAValidationErrorNamingIt() {
    assertThat(only(() -> new Money(null, Money.currency("USD"))).field()).isEqualTo("amount");
    assertThat(only(() -> new Money(BigDecimal.ONE, null)).field()).isEqualTo("currency");
    assertThat(only(() -> Money.of(null, "USD")).field()).isEqualTo("amount");
  }

  @Test
  void instantsOutsideYearsOneToNineThousandNineHundredNinetyNineAreRejectedNamingTheField() {
    assertThat(only(() -> CustomerDraft.builder().firstName("A").createdAt(Instant.MIN).build()).field())
        .isEqualTo("createdAt");
    assertThat(only(() -> CustomerDraft.builder().firstName("A").lastContactAt(Instant.MAX).build()).field())
        .isEqualTo("lastContactAt");
    assertThat(only(() -> CustomerUpdate.builder().lastContactAt(Instant.MAX).build()).field())
        .isEqualTo("lastContactAt");
    assertThat(only(() -> new NoteDraft("n", null, Instant.MAX)).field()).isEqualTo("createdAt");
    assertThat(only(() -> new ActivityDraft(ActivityType.OTHER, null, null, Instant.MIN, null, null)).field())
        .isEqualTo("occurredAt");
    assertThat(only(() -> new OrderDraft("o", Money.of("1", "USD"), Instant.MAX)).field()).isEqualTo("placedAt");
    assertThat(only(() -> new InboundMessage("shop", Channel.SMS, "+14155550100", null, null, "m", Instant.MIN))
        .field()).isEqualTo("receivedAt");
    Instant last = Instant.parse("9999-12-31T23:59:59.999Z");
    assertThat(new NoteDraft("n", null, last).createdAt()).isEqualTo(last);
    assertThat(only(() -> new NoteDraft("n", null, last.plusMillis(1))).field()).isEqualTo("createdAt");
  }

  @Test
  void anInboundMessageIdLongerThanItsIdempotencyKeyCanHoldIsRejected() {
    String id = "m".repeat(InboundMessage.MAX_MESSAGE_ID);
    InboundMessage ok = new InboundMessage("shop", Channel.IN_PERSON, "+14155550100", null, null, id, T);

    assertThat(("msg:in_person:" + ok.messageId()).length()).isEqualTo(200);
    assertThat(only(() -> new InboundMessage("shop", Channel.SMS, "+14155550100", null, null, id + "m", T)).field())
        .isEqualTo("messageId");
    assertThat(only(() -> new InboundMessage("shop", Channel.EMAIL, "a".repeat(300) + "@x.com", null, null, "m", T))
        .field()).isEqualTo("from");
    assertThat(only(() -> new InboundMessage("shop", Channel.SMS, "+14155550100", "n".repeat(256), null, "m", T))
        .field()).isEqualTo("senderName");
  }

  @Test
  void nullElementsOfDraftsAndOptInsAreValidationErrorsNotNullPointers() {
    Map<String, String> nullName = new HashMap<>();
    nullName.put(null, "v");
    Map<Channel, OptInStatus> nullStatus = new HashMap<>();
    nullStatus.put(Channel.SMS, null);

    assertThat(only(() -> new CustomerDraft("A", null, null, null, null, null, null, null, null, null, null, nullName,
        null, null)).field()).isEqualTo("customFields");
    assertThat(only(() -> new ContactPreferences(null)).field()).isEqualTo("optIns");
    assertThat(only(() -> new ContactPreferences(nullStatus)).field()).isEqualTo("optIns");
  }
}
