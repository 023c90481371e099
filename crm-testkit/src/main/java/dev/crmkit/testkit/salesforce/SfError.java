package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A Salesforce error, thrown inside the emulator and answered as the REST error body {@code
 * [{"message", "errorCode", "fields"}]}, or as one entry of a SaveResult's {@code errors} ({@code
 * {"statusCode", "message", "fields"}}) inside collections.
 */
final class SfError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String errorCode;
  /** Null when the error names no fields (the body then has no {@code fields} key). */
  final transient List<String> fields;
  /** Extra keys of the error object, such as {@code duplicateResult}; null for none. */
  final transient ObjectNode extra;

  SfError(int status, String errorCode, String message, List<String> fields, ObjectNode extra) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
    this.fields = fields == null ? null : List.copyOf(fields);
    this.extra = extra;
  }

  SfError(int status, String errorCode, String message) {
    this(status, errorCode, message, null, null);
  }

  /** A record-level (DML) error: 400 with the fields it concerns. */
  static SfError field(String errorCode, String message, List<String> fields) {
    return new SfError(400, errorCode, message, fields, null);
  }

  static SfError notFound() {
    return new SfError(404, "NOT_FOUND", "The requested resource does not exist");
  }

  static SfError malformedQuery(String message) {
    return new SfError(400, "MALFORMED_QUERY", message);
  }

  static SfError jsonParser(String message) {
    return new SfError(400, "JSON_PARSER_ERROR", message);
  }
}
