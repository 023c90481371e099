package dev.crmkit.hubspot.internal;

import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.ApiResponse;
import dev.crmkit.http.ErrorParser;
import dev.crmkit.http.VendorError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads HubSpot's error body {@code {status, message, correlationId, category, context, errors[]}}
 * into a {@link VendorError}: the category is the vendor code (the OAuth endpoints' {@code status},
 * such as {@code BAD_AUTH_CODE}, when there is none), the correlation id the request id, and
 * every property HubSpot names (in {@code errors[].context.propertyName}, {@code errors[].in}, the
 * top-level {@code context}, or the JSON list its VALIDATION_ERROR messages embed, such as
 * {@code "name":"email"}) becomes a field error.
 *
 * <p>Also the provider's other HubSpot error mapping: an email conflict named for the caller, and
 * the error of one record of a batch call's 207 answer.
 */
public final class HubSpotErrors implements ErrorParser {
  /** The header HubSpot puts its correlation id in. */
  public static final String CORRELATION_HEADER = "X-HubSpot-Correlation-Id";

  private static final Pattern EMBEDDED_NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern EMBEDDED_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern EXISTING_ID = Pattern.compile("Existing ID:\\s*(\\d+)");

  @Override
  public VendorError parse(ApiResponse response) {
    VendorError generic = ErrorParser.withRequestIdHeader(CORRELATION_HEADER).parse(response);
    Map<String, Object> body;
    try {
      body = response.json();
    } catch (RuntimeException notJson) {
      return generic;
    }
    String requestId = body.get("correlationId") instanceof String s && !s.isBlank() ? s : generic.requestId();
    String code = body.get("category") instanceof String s && !s.isBlank() ? s : generic.code();
    if (code == null && body.get("status") instanceof String s && !s.isBlank() && !"error".equals(s)) {
      // The OAuth endpoints put their code in status: {"status":"BAD_AUTH_CODE","message":...}.
      code = s;
    }
    String message = generic.message();
    List<FieldError> fields = new ArrayList<>(generic.fieldErrors());
    if (body.get("errors") instanceof List<?> errors) {
      for (Object e : errors) {
        if (e instanceof Map<?, ?> m) {
          String msg = m.get("message") == null ? "rejected" : m.get("message").toString();
          String named = firstOf(m.get("context") instanceof Map<?, ?> c ? c.get("propertyName") : null);
          String property = named == null && m.get("in") instanceof String in && !in.isBlank() ? in : named;
          if (property != null && fields.stream().noneMatch(f -> f.field().equals(property))) {
            fields.add(new FieldError(property, null, msg));
          }
        }
      }
    }
    if (fields.isEmpty() && body.get("context") instanceof Map<?, ?> context) {
      String property = firstOf(context.get("propertyName"));
      if (property != null) {
        fields.add(new FieldError(property, null, message == null ? "rejected" : message));
      }
    }
    if (fields.isEmpty() && message != null && "VALIDATION_ERROR".equals(code)) {
      Matcher name = EMBEDDED_NAME.matcher(message);
      Matcher text = EMBEDDED_MESSAGE.matcher(message);
      while (name.find()) {
        String value = body.get("context") instanceof Map<?, ?> c ? firstOf(c.get(name.group(1))) : null;
        fields.add(new FieldError(name.group(1), value, text.find() ? text.group(1) : message));
      }
    }
    return new VendorError(code, message, requestId, fields);
  }

  /** The id HubSpot names in a 409 "Contact already exists. Existing ID: 123", or {@code null}. */
  public static String existingId(String message) {
    if (message == null) {
      return null;
    }
    Matcher m = EXISTING_ID.matcher(message);
    return m.find() ? m.group(1) : null;
  }

  /**
   * HubSpot's 409 on a contact write, as a conflict on {@code email} naming the contact that holds it.
   *
   * @param e the 409 as the connector mapped it
   * @param email the email written
   */
  public static ConflictException emailConflict(ConflictException e, String email) {
    String existing = existingId(e.getMessage());
    return new ConflictException("email '" + email + "' belongs to customer " + existing + " (" + e.getMessage() + ")",
        HubSpotApi.PROVIDER, "email", existing, e.httpStatus(), e.vendorCode(), e.requestId(), e);
  }

  /** The {@code context.objectWriteTraceId} of one error of a batch answer, or {@code null}. */
  public static String traceId(Map<String, Object> error) {
    return error.get("context") instanceof Map<?, ?> context ? firstValue(context.get("objectWriteTraceId")) : null;
  }

  /**
   * One record's error of a batch answer ({@code errors[]} of a 207, with {@code category},
   * {@code message} and {@code context}) as the exception its outcome carries: CONFLICT (or "already
   * exists") a {@link ConflictException} on {@code email} naming the existing id, OBJECT_NOT_FOUND a
   * {@link NotFoundException}, anything else a {@link ValidationException} with a field error per
   * context key (or on {@code draft} when there is none).
   *
   * @param error the error object
   * @param index the record's index in the call, for the message
   */
  public static CrmException batchItemError(Map<String, Object> error, int index) {
    String category = HubSpotApi.string(error.get("category"));
    String message = "draft " + index + ": " + HubSpotApi.string(error.get("message"));
    if ("CONFLICT".equals(category) || message.contains("already exists")) {
      return new ConflictException(message, HubSpotApi.PROVIDER, "email", existingId(message), 409, category, null, null);
    }
    if ("OBJECT_NOT_FOUND".equals(category)) {
      return new NotFoundException(message, HubSpotApi.PROVIDER, "customer", null, 404, category, null);
    }
    List<FieldError> fields = new ArrayList<>();
    if (error.get("context") instanceof Map<?, ?> context) {
      context.forEach((key, value) -> {
        if (!"objectWriteTraceId".equals(key) && !"ids".equals(key)) {
          fields.add(new FieldError(String.valueOf(key), firstValue(value), message));
        }
      });
    }
    if (fields.isEmpty()) {
      fields.add(new FieldError("draft", null, message));
    }
    return new ValidationException(HubSpotApi.PROVIDER, fields, 400, category, null);
  }

  /** A value as text; of a list, its first element. */
  private static String firstValue(Object value) {
    if (value instanceof List<?> l) {
      return l.isEmpty() || l.get(0) == null ? null : l.get(0).toString();
    }
    return value == null ? null : value.toString();
  }

  private static String firstOf(Object value) {
    if (value instanceof List<?> list && !list.isEmpty() && list.get(0) != null) {
      return list.get(0).toString();
    }
    return value instanceof String s && !s.isBlank() ? s : null;
  }
}
