package dev.crmkit.http;

import dev.crmkit.error.FieldError;
import java.util.List;

/**
 * What an {@link ErrorParser} read from a failed response.
 *
 * @param code the vendor's error code (such as HubSpot's {@code category}); {@code null} when absent
 * @param message the vendor's message; {@code null} when absent
 * @param requestId the vendor's request or correlation id; {@code null} when absent
 * @param fieldErrors rejected fields; copied, never {@code null}, empty when the body named none
 */
public record VendorError(String code, String message, String requestId, List<FieldError> fieldErrors) {
  /** Copies {@code fieldErrors}; {@code null} becomes empty. */
  public VendorError {
    fieldErrors = fieldErrors == null ? List.of() : List.copyOf(fieldErrors);
  }
}
