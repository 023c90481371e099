package dev.crmkit.error;

/**
 * The write clashes with stored state: typically an identity key (email or phone) that another
 * customer of the same tenant already holds. Nothing was written.
 */
public class ConflictException extends CrmException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String existingId;

  /**
   * @param provider provider name, or {@code null}
   * @param field the clashing field, such as {@code "email"}; {@code null} when not field-specific
   * @param existingId id of the record that already holds the value; {@code null} when unknown
   * @param message what clashed, naming the field and value
   */
  public ConflictException(String provider, String field, String existingId, String message) {
    super(message, provider, 409, null, null, null);
    this.field = field;
    this.existingId = existingId;
  }

  /** Full form for HTTP providers. */
  public ConflictException(
      String message, String provider, String field, String existingId, int httpStatus, String vendorCode,
      String requestId, Throwable cause) {
    super(message, provider, httpStatus, vendorCode, requestId, cause);
    this.field = field;
    this.existingId = existingId;
  }

  /** The clashing field, such as {@code "email"}; {@code null} when not field-specific. */
  public String field() {
    return field;
  }

  /** Id of the record that already holds the value; {@code null} when unknown. */
  public String existingId() {
    return existingId;
  }
}
