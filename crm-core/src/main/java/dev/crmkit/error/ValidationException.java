package dev.crmkit.error;

import java.util.List;
import java.util.stream.Collectors;

/** An input was rejected; {@link #fieldErrors()} names each bad field and value. Nothing was written. */
public class ValidationException extends CrmException {
  private static final long serialVersionUID = 1L;

  private final transient List<FieldError> fieldErrors;

  /**
   * @param provider provider name, or {@code null} when raised before any provider was involved
   * @param fieldErrors at least one field error
   */
  public ValidationException(String provider, List<FieldError> fieldErrors) {
    this(provider, fieldErrors, 0, null, null);
  }

  /** Full form for HTTP providers. */
  public ValidationException(
      String provider, List<FieldError> fieldErrors, int httpStatus, String vendorCode, String requestId) {
    super(describe(fieldErrors), provider, httpStatus, vendorCode, requestId, null);
    this.fieldErrors = List.copyOf(fieldErrors);
  }

  /** One bad field, raised outside any provider. */
  public static ValidationException of(String field, String value, String message) {
    return new ValidationException(null, List.of(new FieldError(field, value, message)));
  }

  /** The rejected fields; never empty. */
  public List<FieldError> fieldErrors() {
    return fieldErrors;
  }

  private static String describe(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ValidationException needs at least one field error");
    }
    return "invalid input: " + errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
  }
}
