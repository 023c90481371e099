package dev.crmkit.error;

/** A webhook's signature, timestamp or payload could not be verified; the request must be rejected. */
public class SignatureVerificationException extends CrmException {
  private static final long serialVersionUID = 1L;

  /** A failure with a message. */
  public SignatureVerificationException(String message) {
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
  public SignatureVerificationException(String message, String provider, int httpStatus, String vendorCode, String requestId, Throwable cause) {
    super(message, provider, httpStatus, vendorCode, requestId, cause);
  }
}
