package dev.crmkit.error;

/** The back end could not be reached (connection refused, reset or timed out). */
public class ApiConnectionException extends CrmException {
  private static final long serialVersionUID = 1L;

  /** A failure with a message. */
  public ApiConnectionException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong; never contains credentials
   * @param provider provider name, or {@code null}
   * @param httpStatus HTTP status, or 0
   * @param vendorCode the vendor's error code, or {@code null}
   * @param requestId the vendor's request id, or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public ApiConnectionException(String message, String provider, int httpStatus, String vendorCode, String requestId, Throwable cause) {
    super(message, provider, httpStatus, vendorCode, requestId, cause);
  }
}
