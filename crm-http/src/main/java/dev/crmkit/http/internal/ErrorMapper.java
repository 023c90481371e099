package dev.crmkit.http.internal;

import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.ServerException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.ApiRequest;
import dev.crmkit.http.VendorError;
import java.time.Duration;
import java.util.List;

/** The one place where an HTTP status and a vendor error become a crmkit exception. */
public final class ErrorMapper {
  private ErrorMapper() {}

  /**
   * @param vendor provider name
   * @param request the failed request (its path names the resource; its query is not echoed)
   * @param status HTTP status, 400 or above
   * @param error what the vendor said
   * @param retryAfter the {@code Retry-After} wait of a 429, or {@code null}
   */
  public static CrmException map(
      String vendor, ApiRequest request, int status, VendorError error, Duration retryAfter) {
    String code = error.code();
    String requestId = error.requestId();
    String message = vendor + ' ' + request.method() + ' ' + request.path() + ": HTTP " + status
        + (code == null ? "" : " " + code) + (error.message() == null ? "" : ": " + error.message())
        + (requestId == null ? "" : " (request id " + requestId + ')');
    if (status == 401 || status == 403) {
      return new AuthenticationException(message, vendor, status, code, requestId, null);
    }
    if (status == 404) {
      return new NotFoundException(message, vendor, request.path(), null, status, code, requestId);
    }
    if (status == 409) {
      String field = error.fieldErrors().isEmpty() ? null : error.fieldErrors().get(0).field();
      return new ConflictException(message, vendor, field, null, status, code, requestId, null);
    }
    if (status == 400 || status == 422) {
      List<FieldError> fields = error.fieldErrors().isEmpty()
          ? List.of(new FieldError("request", null, message))
          : error.fieldErrors();
      return new ValidationException(vendor, fields, status, code, requestId);
    }
    if (status == 429) {
      return new RateLimitedException(message, vendor, retryAfter, code, requestId);
    }
    if (status >= 500) {
      return new ServerException(message, vendor, status, code, requestId, null);
    }
    return new CrmException(message, vendor, status, code, requestId, null);
  }
}
