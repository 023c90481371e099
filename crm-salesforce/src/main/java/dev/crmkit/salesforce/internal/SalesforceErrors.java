package dev.crmkit.salesforce.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.ServerException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.ApiResponse;
import dev.crmkit.http.ErrorParser;
import dev.crmkit.http.VendorError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every Salesforce error becomes a crmkit exception here. Salesforce answers a failed REST call with a
 * JSON <em>array</em> {@code [{"message", "errorCode", "fields": [...]}]}; a record of an sObject
 * Collections call carries the same objects in its {@code errors}. The code decides the type:
 *
 * <ul>
 *   <li>{@code DUPLICATE_VALUE}, {@code DUPLICATES_DETECTED}: {@link ConflictException} with the
 *       existing record's id when the body names it (the "record with id: ..." of a unique field's
 *       message, or the first match of a duplicate rule's {@code duplicateResult}).
 *   <li>{@code REQUIRED_FIELD_MISSING}, {@code INVALID_FIELD}, {@code FIELD_CUSTOM_VALIDATION_EXCEPTION},
 *       {@code STRING_TOO_LONG}, {@code INVALID_EMAIL_ADDRESS}, {@code INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST},
 *       {@code INVALID_FIELD_FOR_INSERT_UPDATE}, {@code MALFORMED_ID}: {@link ValidationException}
 *       with one field error per field Salesforce names.
 *   <li>{@code NOT_FOUND}, {@code ENTITY_IS_DELETED}: {@link NotFoundException}.
 *   <li>{@code REQUEST_LIMIT_EXCEEDED}: {@link RateLimitedException} (Salesforce sends it with 403).
 *   <li>401 ({@code INVALID_SESSION_ID}) stays an {@link AuthenticationException}; crm-http has already
 *       refreshed the session and retried once when the credential can be refreshed. 5xx stays a
 *       {@link ServerException}. Any other code: a plain {@link CrmException} carrying it.
 * </ul>
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm">Salesforce: status codes and error responses</a>
 */
public final class SalesforceErrors implements ErrorParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RECORD_ID = Pattern.compile("record with id:?\\s*([A-Za-z0-9]{15,18})");
  private static final Set<String> CONFLICTS = Set.of("DUPLICATE_VALUE", "DUPLICATES_DETECTED");
  private static final Set<String> VALIDATION = Set.of("REQUIRED_FIELD_MISSING", "INVALID_FIELD",
      "FIELD_CUSTOM_VALIDATION_EXCEPTION", "STRING_TOO_LONG", "INVALID_EMAIL_ADDRESS",
      "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "INVALID_FIELD_FOR_INSERT_UPDATE", "MALFORMED_ID",
      "INVALID_TYPE_ON_FIELD_IN_RECORD", "NUMBER_OUTSIDE_VALID_RANGE");
  private static final Set<String> NOT_FOUND = Set.of("NOT_FOUND", "ENTITY_IS_DELETED");

  /**
   * Reads the first error of the array, or a SOAP fault's code (without its {@code sf:} prefix) and fault
   * string; an unreadable body yields what the generic parser finds.
   */
  @Override
  public VendorError parse(ApiResponse response) {
    String body = response.body() == null ? "" : response.body().strip();
    if (body.startsWith("<")) {
      SoapEnvelope.Fault fault = SoapEnvelope.fault(body);
      if (fault != null) {
        return new VendorError(fault.code(), fault.message(), null, List.of());
      }
    }
    List<Map<String, Object>> errors;
    try {
      errors = JSON.readValue(response.body(), new TypeReference<List<Map<String, Object>>>() { });
    } catch (Exception notAnArray) {
      return ErrorParser.generic().parse(response);
    }
    if (errors == null || errors.isEmpty()) {
      return new VendorError(null, null, null, List.of());
    }
    Map<String, Object> first = errors.get(0);
    return new VendorError(text(first.get("errorCode")), messageOf(first), null, fieldErrors(first));
  }

  /**
   * The exception for an error the connector mapped by status alone, re-typed by its Salesforce code.
   *
   * @param e what {@code HttpConnector.send} threw
   * @return the exception to throw
   */
  public static CrmException map(CrmException e) {
    String code = e.vendorCode();
    int status = e.httpStatus();
    if (code == null || status == 401 || status >= 500 || e.provider() == null) {
      return e;
    }
    List<FieldError> fields = e instanceof ValidationException v ? v.fieldErrors() : List.of();
    if (e instanceof ValidationException && fields.size() == 1 && "request".equals(fields.get(0).field())) {
      fields = List.of();
    }
    return of(code, e.getMessage(), fields, status, e.requestId(), e);
  }

  /**
   * A partner SOAP API fault (HTTP 500 with {@code sf:CODE}), re-typed by its code like a REST error:
   * {@code INVALID_SESSION_ID} to {@link AuthenticationException}, {@code REQUEST_LIMIT_EXCEEDED} to
   * {@link RateLimitedException}, {@code INVALID_ID_FIELD}/{@code MALFORMED_ID} to {@link ValidationException},
   * and so on. A fault without a Salesforce code ({@code soapenv:Client}, {@code soapenv:Server}) stays as it is.
   *
   * @param e what {@code HttpConnector.send} threw for a SOAP call
   * @return the exception to throw
   */
  public static CrmException fault(CrmException e) {
    String code = e.vendorCode();
    if (code == null || e.httpStatus() != 500) {
      return e;
    }
    if ("INVALID_SESSION_ID".equals(code)) {
      return new AuthenticationException(e.getMessage(), SalesforceApi.PROVIDER, e.httpStatus(), code, e.requestId(), e);
    }
    if ("INVALID_ID_FIELD".equals(code)) {
      return new ValidationException(SalesforceApi.PROVIDER, List.of(new FieldError("id", null, e.getMessage())),
          e.httpStatus(), code, e.requestId());
    }
    CrmException mapped = of(code, e.getMessage(), List.of(), e.httpStatus(), e.requestId(), e);
    return mapped.getClass() == CrmException.class ? e : mapped;
  }

  /**
   * One record's error in an sObject Collections answer ({@code errors[i]} of a SaveResult).
   *
   * @param error the error object
   * @param what the record, for the message, such as {@code "record 3"}
   */
  public static CrmException itemError(Map<String, Object> error, String what) {
    String code = text(error.get("statusCode")) != null ? text(error.get("statusCode")) : text(error.get("errorCode"));
    return of(code == null ? "UNKNOWN" : code, what + ": " + code + ": " + messageOf(error), fieldErrors(error), 400, null,
        null);
  }

  private static CrmException of(String code, String message, List<FieldError> fields, int status, String requestId,
      Throwable cause) {
    String provider = SalesforceApi.PROVIDER;
    if (CONFLICTS.contains(code)) {
      Matcher m = RECORD_ID.matcher(message == null ? "" : message);
      String field = fields.isEmpty() ? null : fields.get(0).field();
      return new ConflictException(message, provider, field, m.find() ? m.group(1) : null, status, code, requestId, cause);
    }
    if (VALIDATION.contains(code)) {
      List<FieldError> named = fields.isEmpty() ? List.of(new FieldError("request", null, message)) : fields;
      return new ValidationException(provider, named, status, code, requestId);
    }
    if (NOT_FOUND.contains(code)) {
      return new NotFoundException(message, provider, "record", null, status, code, requestId);
    }
    if ("REQUEST_LIMIT_EXCEEDED".equals(code)) {
      return new RateLimitedException(message, provider, null, code, requestId);
    }
    if (cause instanceof AuthenticationException || cause instanceof RateLimitedException) {
      return (CrmException) cause;
    }
    return new CrmException(message, provider, status, code, requestId, cause);
  }

  private static List<FieldError> fieldErrors(Map<String, Object> error) {
    List<FieldError> out = new ArrayList<>();
    String message = messageOf(error);
    if (error.get("fields") instanceof List<?> fields) {
      for (Object f : fields) {
        if (f != null) {
          out.add(new FieldError(f.toString(), null, message));
        }
      }
    }
    return out;
  }

  /** The message, with the id of the first duplicate a duplicate rule matched appended ("record with id: ..."). */
  private static String messageOf(Map<String, Object> error) {
    String message = text(error.get("message"));
    String duplicate = firstDuplicateId(error.get("duplicateResult"));
    if (duplicate != null && (message == null || !RECORD_ID.matcher(message).find())) {
      message = (message == null ? "duplicate" : message) + " (record with id: " + duplicate + ")";
    }
    return message;
  }

  private static String firstDuplicateId(Object duplicateResult) {
    if (duplicateResult instanceof Map<?, ?> d && d.get("matchResults") instanceof List<?> results) {
      for (Object r : results) {
        if (r instanceof Map<?, ?> result && result.get("matchRecords") instanceof List<?> records) {
          for (Object rec : records) {
            if (rec instanceof Map<?, ?> match && match.get("record") instanceof Map<?, ?> record
                && record.get("Id") instanceof String id) {
              return id;
            }
          }
        }
      }
    }
    return null;
  }

  private static String text(Object o) {
    return o instanceof String s && !s.isBlank() ? s : null;
  }
}
