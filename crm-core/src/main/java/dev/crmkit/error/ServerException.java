package dev.crmkit.error;

/** The back end failed (HTTP 5xx) after retries. */
public class ServerException extends CrmException {
  private static final long serialVersionUID = 1L;

  /** A failure with a message. */
  public ServerException(String message) {
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
  public ServerException(String message, String provider, int httpStatus, String vendorCode, String requestId, Throwable cause) {
    super(message, provider, httpStatus, vendorCode, requestId, cause);
  }
}
