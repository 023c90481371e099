package dev.crmkit.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.ApiResponse;
import dev.crmkit.http.VendorError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SalesforceErrorsTest {
  private final SalesforceErrors parser = new SalesforceErrors();

  @Test
  void readsTheFirstErrorOfTheArray() {
    VendorError e = parser.parse(response(400,
        "[{\"message\":\"Required fields are missing: [LastName]\",\"errorCode\":\"REQUIRED_FIELD_MISSING\",\"fields\":[\"LastName\"]}]"));

    assertThat(e.code()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(e.fieldErrors()).extracting(f -> f.field()).containsExactly("LastName");
  }

  @Test
  void aDuplicateValueIsAConflictNamingTheExistingRecord() {
    CrmException e = SalesforceErrors.itemError(Map.of("statusCode", "DUPLICATE_VALUE",
        "message", "duplicate value found: Email__c duplicates value on record with id: 003000000000001AAA",
        "fields", List.of()), "write 0");

    assertThat(e).isInstanceOf(ConflictException.class);
    assertThat(((ConflictException) e).existingId()).isEqualTo("003000000000001AAA");
  }

  @Test
  void aDuplicateRuleMatchIsAConflictNamingTheMatchedRecord() {
    Map<String, Object> error = Map.of("errorCode", "DUPLICATES_DETECTED", "message", "Use one of these records?",
        "duplicateResult", Map.of("matchResults", List.of(Map.of("matchRecords",
            List.of(Map.of("record", Map.of("Id", "003000000000002AAA")))))));

    CrmException e = SalesforceErrors.itemError(error, "write 1");

    assertThat(e).isInstanceOf(ConflictException.class);
    assertThat(((ConflictException) e).existingId()).isEqualTo("003000000000002AAA");
    assertThat(e.vendorCode()).isEqualTo("DUPLICATES_DETECTED");
  }

  @Test
  void fieldErrorsAreValidationErrorsNamingTheField() {
    for (String code : List.of("REQUIRED_FIELD_MISSING", "INVALID_FIELD", "FIELD_CUSTOM_VALIDATION_EXCEPTION",
        "STRING_TOO_LONG")) {
      CrmException e = SalesforceErrors.itemError(Map.of("statusCode", code, "message", "bad",
          "fields", List.of("Email")), "write 0");

      assertThat(e).as(code).isInstanceOf(ValidationException.class);
      assertThat(((ValidationException) e).fieldErrors()).extracting(f -> f.field()).containsExactly("Email");
      assertThat(e.vendorCode()).isEqualTo(code);
    }
  }

  @Test
  void missingAndDeletedRecordsAreNotFound() {
    assertThat(SalesforceErrors.itemError(Map.of("statusCode", "ENTITY_IS_DELETED", "message", "x"), "w"))
        .isInstanceOf(NotFoundException.class);
    assertThat(SalesforceErrors.map(new CrmException("m", "salesforce", 404, "NOT_FOUND", null, null)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void requestLimitExceededIsRateLimitedThoughSalesforceSends403() {
    CrmException mapped = SalesforceErrors.map(
        new AuthenticationException("m", "salesforce", 403, "REQUEST_LIMIT_EXCEEDED", null, null));

    assertThat(mapped).isInstanceOf(RateLimitedException.class);
  }

  @Test
  void anExpiredSessionStaysAnAuthenticationError() {
    AuthenticationException e = new AuthenticationException("m", "salesforce", 401, "INVALID_SESSION_ID", null, null);

    assertThat(SalesforceErrors.map(e)).isSameAs(e);
  }

  @Test
  void anotherCodeIsACrmExceptionCarryingIt() {
    CrmException mapped = SalesforceErrors.map(new ValidationException("salesforce",
        List.of(new dev.crmkit.error.FieldError("request", null, "m")), 400, "MALFORMED_QUERY", null));

    assertThat(mapped.getClass()).isEqualTo(CrmException.class);
    assertThat(mapped.vendorCode()).isEqualTo("MALFORMED_QUERY");
  }

  private static ApiResponse response(int status, String body) {
    return new ApiResponse(status, Map.of(), body);
  }
}
