package dev.crmkit.error;

/** The addressed record (customer, note, activity) does not exist for this tenant. */
public class NotFoundException extends CrmException {
  private static final long serialVersionUID = 1L;

  private final String resource;
  private final String id;

  /**
   * @param provider provider name, or {@code null}
   * @param resource what was looked up, such as {@code "customer"}
   * @param id the id that was not found
   */
  public NotFoundException(String provider, String resource, String id) {
    super(resource + " '" + id + "' not found", provider, 404, null, null, null);
    this.resource = resource;
    this.id = id;
  }

  /** Full form for HTTP providers. */
  public NotFoundException(
      String message, String provider, String resource, String id, int httpStatus, String vendorCode, String requestId) {
    super(message, provider, httpStatus, vendorCode, requestId, null);
    this.resource = resource;
    this.id = id;
  }

  /** What was looked up, such as {@code "customer"}. */
  public String resource() {
    return resource;
  }

  /** The id that was not found. */
  public String id() {
    return id;
  }
}
