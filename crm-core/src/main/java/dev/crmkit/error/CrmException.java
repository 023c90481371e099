package dev.crmkit.error;

/**
 * Base of every exception crmkit throws. Unchecked: callers catch the subtype they can act on.
 *
 * <p>Carries what is known about the failed call: the provider name (such as {@code "hubspot"} or
 * {@code "native"}), the HTTP status (0 when the back end is not HTTP), the vendor's own error
 * code and the vendor's request id. Each is {@code null} (or 0) when unknown. The message never
 * contains credentials.
 */
public class CrmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String provider;
  private final int httpStatus;
  private final String vendorCode;
  private final String requestId;

  /**
   * @param message what went wrong, naming the field and value where one is at fault
   * @param provider provider name, or {@code null} when not tied to one
   * @param httpStatus HTTP status of the failed call, or 0
   * @param vendorCode the vendor's error code, or {@code null}
   * @param requestId the vendor's request id, or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public CrmException(
      String message, String provider, int httpStatus, String vendorCode, String requestId, Throwable cause) {
    super(message, cause);
    this.provider = provider;
    this.httpStatus = httpStatus;
    this.vendorCode = vendorCode;
    this.requestId = requestId;
  }

  /** A failure with only a message. */
  public CrmException(String message) {
    this(message, null, 0, null, null, null);
  }

  /** A failure with a message and a cause. */
  public CrmException(String message, Throwable cause) {
    this(message, null, 0, null, null, cause);
  }

  /** Provider name such as {@code "native"} or {@code "hubspot"}; {@code null} when not tied to one. */
  public String provider() {
    return provider;
  }

  /** HTTP status of the failed call; 0 when the back end is not HTTP or no response came. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The vendor's error code (for example HubSpot's {@code category}); {@code null} when unknown. */
  public String vendorCode() {
    return vendorCode;
  }

  /** The vendor's request id, for support tickets; {@code null} when unknown. */
  public String requestId() {
    return requestId;
  }
}
