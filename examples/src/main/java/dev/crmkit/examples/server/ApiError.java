package dev.crmkit.examples.server;

/**
 * An answer other than success, thrown by a route and written by the server as {@code
 * {"error":{"code","message","field"}}} with {@link #status()}. Messages never hold a secret: they
 * name fields and limits, and echo only values the caller sent outside {@code credentials}.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;

  ApiError(int status, String code, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** 400 {@code validation}: the named request field is missing or wrong. */
  static ApiError badField(String field, String message) {
    return new ApiError(400, "validation", message, field);
  }

  /** 404 {@code not_found}. */
  static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message, null);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  /** The request field at fault, or null. */
  String field() {
    return field;
  }
}
