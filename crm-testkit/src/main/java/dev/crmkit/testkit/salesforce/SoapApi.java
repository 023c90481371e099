package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The partner SOAP API at {@code POST /services/Soap/u/{version}}, for the two calls REST lacks:
 * {@code undelete(ID[] ids)} and {@code merge(MergeRequest[] request)}. Like Salesforce it reads the
 * session from the envelope's {@code SessionHeader} (not the Authorization header), answers an invalid or
 * expired one with the fault {@code sf:INVALID_SESSION_ID}, counts each call toward the daily allocation
 * ({@code sf:REQUEST_LIMIT_EXCEEDED} when spent) and reports it in the response's {@code LimitInfoHeader}.
 * Faults are HTTP 500; per-record failures are {@code errors} in the results. Other operations get a
 * {@code soapenv:Client} fault. Thread-safe: the state is.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_undelete.htm">SOAP undelete()</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_merge.htm">SOAP merge()</a>
 */
final class SoapApi {
  static final String PARTNER_NS = "urn:partner.soap.sforce.com";
  static final String FAULT_NS = "urn:fault.partner.soap.sforce.com";
  /** Ids per undelete call and merge requests per merge call. */
  static final int MAX_BATCH = 200;

  /** An answer: the HTTP status and the envelope. */
  record SoapReply(int status, String xml) {}

  private final OrgState state;
  private final SessionServer sessions;
  private final ApiUsage usage;
  private final SalesforceCounters counters;

  SoapApi(OrgState state, SessionServer sessions, ApiUsage usage, SalesforceCounters counters) {
    this.state = state;
    this.sessions = sessions;
    this.usage = usage;
    this.counters = counters;
  }

  SoapReply serve(String body) {
    SoapXml.Element envelope;
    try {
      envelope = SoapXml.parse(body);
    } catch (SoapXml.Malformed e) {
      return clientFault(e.getMessage());
    }
    if (!envelope.name().equals("Envelope") || !envelope.namespace().equals(SoapXml.ENVELOPE_NS)) {
      return clientFault("a SOAP 1.1 Envelope was expected");
    }
    SoapXml.Element header = envelope.child("Header");
    SoapXml.Element session = header == null ? null : header.child("SessionHeader");
    String sessionId = session == null ? null : session.text("sessionId");
    if (sessionId == null || sessions.state(sessionId) != SessionServer.State.LIVE) {
      return fault("INVALID_SESSION_ID", "UnexpectedErrorFault", "Invalid Session ID found in SessionHeader: Illegal "
          + "Session");
    }
    if (!usage.acquire()) {
      counters.recordLimitExceeded();
      return fault("REQUEST_LIMIT_EXCEEDED", "UnexpectedErrorFault", "TotalRequests Limit exceeded.");
    }
    SoapXml.Element soapBody = envelope.child("Body");
    SoapXml.Element call = soapBody == null || soapBody.children().isEmpty() ? null : soapBody.children().get(0);
    if (call == null || !call.namespace().equals(PARTNER_NS)) {
      return clientFault("No operation available for request " + (call == null ? "(empty Body)"
          : "{" + call.namespace() + "}" + call.name()));
    }
    switch (call.name()) {
      case "undelete":
        return undelete(call.all("ids"));
      case "merge":
        return merge(call.all("request"));
      default:
        return clientFault("No operation available for request {" + PARTNER_NS + "}" + call.name());
    }
  }

  private SoapReply undelete(List<SoapXml.Element> ids) {
    if (ids.isEmpty() || ids.size() > MAX_BATCH) {
      return fault("LIMIT_EXCEEDED", "InvalidSObjectFault", "undelete takes 1 to " + MAX_BATCH + " ids: " + ids.size());
    }
    StringBuilder results = new StringBuilder();
    for (SoapXml.Element idElement : ids) {
      String id = idElement.text();
      results.append("<result>");
      try {
        if (SalesforceIds.normalize(id) == null) {
          throw SfError.field("MALFORMED_ID", "malformed id " + id, List.of());
        }
        SObjectRecord record = state.undelete(id);
        results.append("<id>").append(record.id).append("</id><success>true</success>");
      } catch (SfError error) {
        errors(results, error);
        results.append("<id xsi:nil=\"true\"/><success>false</success>");
      }
      results.append("</result>");
    }
    return ok("undeleteResponse", results);
  }

  private SoapReply merge(List<SoapXml.Element> requests) {
    if (requests.isEmpty() || requests.size() > MAX_BATCH) {
      return fault("LIMIT_EXCEEDED", "InvalidSObjectFault", "merge takes 1 to " + MAX_BATCH + " requests: "
          + requests.size());
    }
    StringBuilder results = new StringBuilder();
    for (SoapXml.Element request : requests) {
      SoapXml.Element master = request.child("masterRecord");
      List<String> losers = request.all("recordToMergeIds").stream().map(SoapXml.Element::text).toList();
      String masterId = master == null ? null : master.text("Id");
      results.append("<result>");
      try {
        if (masterId == null || SalesforceIds.normalize(masterId) == null
            || losers.stream().anyMatch(l -> SalesforceIds.normalize(l) == null)) {
          throw SfError.field("MALFORMED_ID", "masterRecord.Id and recordToMergeIds must be record ids", List.of());
        }
        OrgState.Merged merged = state.merge(masterId, losers, masterFields(master, masterId));
        results.append("<id>").append(merged.master().id).append("</id>");
        for (String loser : losers) {
          results.append("<mergedRecordIds>").append(SalesforceIds.normalize(loser)).append("</mergedRecordIds>");
        }
        results.append("<success>true</success>");
        for (String related : merged.updatedRelatedIds()) {
          results.append("<updatedRelatedIds>").append(related).append("</updatedRelatedIds>");
        }
      } catch (SfError error) {
        errors(results, error);
        results.append("<id xsi:nil=\"true\"/><success>false</success>");
      }
      results.append("</result>");
    }
    return ok("mergeResponse", results);
  }

  /** The masterRecord's fields as JSON values by the field's type; {@code fieldsToNull} as nulls. */
  private Map<String, JsonNode> masterFields(SoapXml.Element master, String masterId) {
    SObjectRecord record = state.find(masterId);
    if (record == null) {
      throw SfError.notFound();
    }
    String type = master.text("type");
    if (type != null && !type.equalsIgnoreCase(record.type.apiName)) {
      throw SfError.field("INVALID_TYPE", "masterRecord.type " + type + " is not the master's type "
          + record.type.apiName, List.of());
    }
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    for (SoapXml.Element f : master.children()) {
      String name = f.name();
      if (name.equals("type") || name.equals("Id")) {
        continue;
      }
      if (name.equals("fieldsToNull")) {
        fields.put(f.text(), NullNode.getInstance());
        continue;
      }
      FieldDef def = state.field(record.type, name);
      if (f.nil() || def == null) {
        fields.put(name, f.nil() ? NullNode.getInstance() : TextNode.valueOf(f.text()));
      } else if (def.type() == FieldType.BOOLEAN) {
        fields.put(name, BooleanNode.valueOf("true".equals(f.text())));
      } else if (def.type().numeric()) {
        try {
          fields.put(name, DecimalNode.valueOf(new BigDecimal(f.text())));
        } catch (NumberFormatException e) {
          throw SfError.field("INVALID_TYPE_ON_FIELD_IN_RECORD", name + ": value not of required type: " + f.text(),
              List.of(name));
        }
      } else {
        fields.put(name, TextNode.valueOf(f.text()));
      }
    }
    return fields;
  }

  private static void errors(StringBuilder out, SfError error) {
    out.append("<errors>");
    if (error.fields != null) {
      for (String field : error.fields) {
        out.append("<fields>").append(SoapXml.escape(field)).append("</fields>");
      }
    }
    out.append("<message>").append(SoapXml.escape(String.valueOf(error.getMessage()))).append("</message>")
        .append("<statusCode>").append(error.errorCode).append("</statusCode></errors>");
  }

  private SoapReply ok(String response, CharSequence results) {
    return new SoapReply(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\""
        + SoapXml.ENVELOPE_NS + "\" xmlns=\"" + PARTNER_NS + "\" xmlns:xsi=\"" + SoapXml.XSI_NS + "\"><soapenv:Header>"
        + "<LimitInfoHeader><limitInfo><current>" + usage.used() + "</current><limit>" + usage.max()
        + "</limit><type>API REQUESTS</type></limitInfo></LimitInfoHeader></soapenv:Header><soapenv:Body><" + response
        + ">" + results + "</" + response + "></soapenv:Body></soapenv:Envelope>");
  }

  /** A Salesforce fault: {@code sf:CODE}, the faultstring {@code CODE: message}, the detail's exception. */
  private static SoapReply fault(String code, String faultType, String message) {
    return new SoapReply(500, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\""
        + SoapXml.ENVELOPE_NS + "\" xmlns:sf=\"" + FAULT_NS + "\" xmlns:xsi=\"" + SoapXml.XSI_NS + "\"><soapenv:Body>"
        + "<soapenv:Fault><faultcode>sf:" + code + "</faultcode><faultstring>" + code + ": " + SoapXml.escape(message)
        + "</faultstring><detail><sf:" + faultType + " xsi:type=\"sf:" + faultType + "\"><sf:exceptionCode>" + code
        + "</sf:exceptionCode><sf:exceptionMessage>" + SoapXml.escape(message) + "</sf:exceptionMessage></sf:"
        + faultType + "></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>");
  }

  private static SoapReply clientFault(String message) {
    return new SoapReply(500, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\""
        + SoapXml.ENVELOPE_NS + "\"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>"
        + SoapXml.escape(message) + "</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>");
  }
}
