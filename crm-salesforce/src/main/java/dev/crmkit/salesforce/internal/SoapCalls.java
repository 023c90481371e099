package dev.crmkit.salesforce.internal;

import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.AccessTokenProvider;
import dev.crmkit.http.ApiRequest;
import dev.crmkit.http.ApiResponse;
import dev.crmkit.http.RawBody;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two partner SOAP API calls REST lacks, {@code undelete()} and {@code merge()}, sent through the
 * org's {@link SalesforceApi} (so its connector's auth, limits and daily budget apply). The session goes in
 * the envelope's {@code SessionHeader}: the call reads the access token itself, and on the fault
 * {@code sf:INVALID_SESSION_ID} (HTTP 500, which the connector does not treat as a 401) asks the token
 * provider for a new one and sends the call once more. Neither call is repeated on a 5xx: a merge is not
 * idempotent. The usage in the answer's {@code LimitInfoHeader} is recorded like {@code Sforce-Limit-Info}.
 * Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_undelete.htm">Salesforce: undelete()</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_merge.htm">Salesforce: merge()</a>
 */
public final class SoapCalls {
  /** The content type of a SOAP 1.1 request. */
  static final String CONTENT_TYPE = "text/xml; charset=utf-8";

  /**
   * One record's result: an UndeleteResult or a MergeResult.
   *
   * @param id the record's id; null when it failed
   * @param success whether it succeeded
   * @param errors the errors as {@code {statusCode, message, fields}} maps, as {@link SalesforceErrors#itemError} reads
   * @param mergedRecordIds a merge's merged ids; empty for an undelete
   * @param updatedRelatedIds the records a merge re-parented to the master (Tasks, Events, Notes, ...)
   */
  public record Result(String id, boolean success, List<Map<String, Object>> errors, List<String> mergedRecordIds,
      List<String> updatedRelatedIds) {}

  private final SalesforceApi api;
  private final AccessTokenProvider tokens;

  /**
   * @param api the org's API (its connector carries the same credential)
   * @param tokens the credential whose access token is the SOAP session
   */
  public SoapCalls(SalesforceApi api, AccessTokenProvider tokens) {
    this.api = api;
    this.tokens = tokens;
  }

  /**
   * {@code undelete(ids)}: at most 200 ids.
   *
   * @return one result per id, in order
   */
  public List<Result> undelete(List<String> ids) {
    if (ids.isEmpty() || ids.size() > 200) {
      throw new IllegalArgumentException("undelete takes 1 to 200 ids: " + ids.size());
    }
    StringBuilder call = new StringBuilder("<urn:undelete>");
    for (String id : ids) {
      call.append("<urn:ids>").append(SoapEnvelope.escape(id)).append("</urn:ids>");
    }
    call.append("</urn:undelete>");
    return results(send(call.toString()), "undeleteResponse");
  }

  /**
   * {@code merge(request)} with one MergeRequest: the master's {@code type} and {@code Id}, the field values to
   * set on it (Salesforce keeps the master's values otherwise), and one or two records to merge into it.
   *
   * @param fields by API name: strings, numbers and booleans; a null value goes to {@code fieldsToNull}
   * @return the MergeResult
   * @throws ValidationException naming the field whose value holds a character XML cannot carry
   */
  public Result merge(String type, String masterId, Map<String, Object> fields, List<String> mergeIds) {
    if (mergeIds.isEmpty() || mergeIds.size() > 2) {
      throw new IllegalArgumentException("a merge request merges 1 or 2 records into the master: " + mergeIds.size());
    }
    StringBuilder call = new StringBuilder("<urn:merge><urn:request><urn:masterRecord><sobj:type>")
        .append(SoapEnvelope.escape(type)).append("</sobj:type>");
    List<String> toNull = new ArrayList<>();
    StringBuilder values = new StringBuilder();
    for (Map.Entry<String, Object> f : fields.entrySet()) {
      String name = f.getKey();
      if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("not a field API name: " + name);
      }
      Object v = f.getValue();
      if (v == null) {
        toNull.add(name);
      } else {
        String escaped;
        try {
          escaped = SoapEnvelope.escape(text(name, v));
        } catch (IllegalArgumentException e) {
          throw new ValidationException(SalesforceApi.PROVIDER, List.of(new FieldError(name, null, e.getMessage())));
        }
        values.append("<sobj:").append(name).append('>').append(escaped).append("</sobj:").append(name).append('>');
      }
    }
    // fieldsToNull precedes Id and the fields in the partner WSDL's sObject.
    for (String name : toNull) {
      call.append("<sobj:fieldsToNull>").append(name).append("</sobj:fieldsToNull>");
    }
    call.append("<sobj:Id>").append(SoapEnvelope.escape(masterId)).append("</sobj:Id>").append(values)
        .append("</urn:masterRecord>");
    for (String id : mergeIds) {
      call.append("<urn:recordToMergeIds>").append(SoapEnvelope.escape(id)).append("</urn:recordToMergeIds>");
    }
    call.append("</urn:request></urn:merge>");
    return results(send(call.toString()), "mergeResponse").get(0);
  }

  private static String text(String name, Object v) {
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    throw new IllegalArgumentException("field " + name + ": a " + v.getClass().getSimpleName()
        + " has no SOAP form here");
  }

  /** The body of the answer; on {@code INVALID_SESSION_ID}, one more try with a new session. */
  private SoapEnvelope.Element send(String call) {
    String token = tokens.accessToken();
    ApiResponse response;
    try {
      response = api.sendSoap(request(token, call));
    } catch (AuthenticationException e) {
      if (!"INVALID_SESSION_ID".equals(e.vendorCode()) || !tokens.invalidate(token)) {
        throw e;
      }
      response = api.sendSoap(request(tokens.accessToken(), call));
    }
    try {
      SoapEnvelope.Element header = SoapEnvelope.header(response.body());
      SoapEnvelope.Element limit = header == null || header.child("LimitInfoHeader") == null ? null
          : header.child("LimitInfoHeader").child("limitInfo");
      if (limit != null && "API REQUESTS".equals(limit.text("type"))) {
        api.usage().record("api-usage=" + limit.text("current") + "/" + limit.text("limit"));
      }
      return SoapEnvelope.body(response.body());
    } catch (SoapEnvelope.Malformed e) {
      throw new CrmException("salesforce: unreadable SOAP answer: " + e.getMessage(), SalesforceApi.PROVIDER,
          response.status(), null, response.header("Request-Id"), e);
    }
  }

  private ApiRequest request(String token, String call) {
    byte[] xml = SoapEnvelope.request(token, call).getBytes(StandardCharsets.UTF_8);
    return ApiRequest.post(api.soap(), new RawBody(CONTENT_TYPE, xml)).withHeader("SOAPAction", "\"\"")
        .withHeader("Accept", "text/xml");
  }

  private static List<Result> results(SoapEnvelope.Element body, String response) {
    SoapEnvelope.Element answer = body.child(response);
    if (answer == null) {
      throw new CrmException("salesforce: SOAP answer without " + response, SalesforceApi.PROVIDER, 200, null, null,
          null);
    }
    List<Result> out = new ArrayList<>();
    for (SoapEnvelope.Element r : answer.all("result")) {
      List<Map<String, Object>> errors = new ArrayList<>();
      for (SoapEnvelope.Element e : r.all("errors")) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("statusCode", e.text("statusCode"));
        error.put("message", e.text("message"));
        error.put("fields", e.all("fields").stream().map(SoapEnvelope.Element::text).toList());
        errors.add(error);
      }
      out.add(new Result(r.text("id"), "true".equals(r.text("success")), errors,
          r.all("mergedRecordIds").stream().map(SoapEnvelope.Element::text).toList(),
          r.all("updatedRelatedIds").stream().map(SoapEnvelope.Element::text).toList()));
    }
    if (out.isEmpty()) {
      throw new CrmException("salesforce: SOAP " + response + " without results", SalesforceApi.PROVIDER, 200, null,
          null, null);
    }
    return out;
  }
}
