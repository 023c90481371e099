package dev.crmkit.testkit.hubspot;

import java.util.List;
import java.util.Map;

/** A HubSpot-shaped error answer, thrown inside the emulator and turned into a response body. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String category;
  final Map<String, List<String>> context;

  ApiError(int status, String category, String message, Map<String, List<String>> context) {
    super(message, null, false, false);
    this.status = status;
    this.category = category;
    this.context = Map.copyOf(context);
  }

  static ApiError validation(String message) {
    return new ApiError(400, "VALIDATION_ERROR", message, Map.of());
  }

  static ApiError notFound(String id) {
    return new ApiError(404, "OBJECT_NOT_FOUND", "resource not found", Map.of("id", List.of(id)));
  }

  static ApiError conflict(long existingId) {
    return new ApiError(
        409, "CONFLICT", "CrmObject already exists. Existing ID: " + existingId, Map.of());
  }

  static ApiError invalidEmail(String email) {
    return new ApiError(
        400,
        "VALIDATION_ERROR",
        "Property values were not valid: [{\"isValid\":false,\"message\":\"Email address "
            + email
            + " is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]",
        Map.of("email", List.of(email)));
  }
}
