package dev.crmkit.salesforce;

import dev.crmkit.webhook.WebhookRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds Salesforce outbound messages (SOAP {@code notifications} envelopes, as Salesforce sends them)
 * for tests of a host's endpoint and of {@link SalesforceOutboundMessageHandler}. Salesforce signs
 * nothing, so this is the whole "signer": a message is authentic when its {@code OrganizationId} is the
 * org's and it comes from Salesforce's addresses. Not thread-safe.
 *
 * <pre>{@code
 * String xml = SalesforceOutboundMessages.builder("00D5g000004SbcDEAS")
 *     .notification("04l5g0000000001AAA", "Contact", Map.of("Id", "0035g00000A1b2cAAB", "Email", "a@example.com"))
 *     .build();
 * }</pre>
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_wsdl.htm">Salesforce: the outbound messaging WSDL</a>
 */
public final class SalesforceOutboundMessages {
  private final String organizationId;
  private String actionId = "04k5g0000000001AAA";
  private String instanceUrl = "https://example.my.salesforce.com";
  private final List<String> notifications = new ArrayList<>();

  private SalesforceOutboundMessages(String organizationId) {
    this.organizationId = organizationId;
  }

  /**
   * @param organizationId the {@code OrganizationId} to send, as is (a wrong one is allowed, to test refusals)
   * @return a builder with no notifications, a fixed {@code ActionId} and a nil {@code SessionId}
   * @throws NullPointerException naming {@code organizationId} when {@code null}
   */
  public static SalesforceOutboundMessages builder(String organizationId) {
    return new SalesforceOutboundMessages(Objects.requireNonNull(organizationId, "organizationId"));
  }

  /**
   * @param actionId the {@code ActionId} (the outbound message's id, {@code 04k...}); not {@code null}
   * @return this builder
   */
  public SalesforceOutboundMessages actionId(String actionId) {
    this.actionId = Objects.requireNonNull(actionId, "actionId");
    return this;
  }

  /**
   * @param instanceUrl the org's URL, for {@code EnterpriseUrl} and {@code PartnerUrl}; not {@code null}
   * @return this builder
   */
  public SalesforceOutboundMessages instanceUrl(String instanceUrl) {
    this.instanceUrl = Objects.requireNonNull(instanceUrl, "instanceUrl");
    return this;
  }

  /**
   * Adds a notification.
   *
   * @param notificationId the notification's {@code Id} ({@code 04l...}); not {@code null}
   * @param sObjectType the sObject's type, written as {@code xsi:type="sf:<type>"}; not {@code null}
   * @param fields field API names to values, in order ({@code Id} first, as Salesforce sends it); a
   *     {@code null} value is written {@code xsi:nil="true"}; values are XML-escaped
   * @return this builder
   * @throws NullPointerException naming the {@code null} argument
   */
  public SalesforceOutboundMessages notification(String notificationId, String sObjectType, Map<String, String> fields) {
    Objects.requireNonNull(notificationId, "notificationId");
    Objects.requireNonNull(sObjectType, "sObjectType");
    Objects.requireNonNull(fields, "fields");
    Map<String, String> ordered = new LinkedHashMap<>();
    if (fields.containsKey("Id")) {
      ordered.put("Id", fields.get("Id"));
    }
    ordered.putAll(fields);
    StringBuilder xml = new StringBuilder("      <Notification>\n        <Id>").append(escape(notificationId))
        .append("</Id>\n        <sObject xsi:type=\"sf:").append(escape(sObjectType))
        .append("\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">\n");
    ordered.forEach((name, value) -> {
      xml.append("          <sf:").append(name);
      if (value == null) {
        xml.append(" xsi:nil=\"true\"/>\n");
      } else {
        xml.append('>').append(escape(value)).append("</sf:").append(name).append(">\n");
      }
    });
    notifications.add(xml.append("        </sObject>\n      </Notification>\n").toString());
    return this;
  }

  /** @return how many notifications were added */
  public int size() {
    return notifications.size();
  }

  /** @return the SOAP envelope, UTF-8 text with an XML declaration */
  public String build() {
    String org15 = organizationId.length() >= 15 ? organizationId.substring(0, 15) : organizationId;
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"")
        .append(" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n")
        .append("  <soapenv:Body>\n    <notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">\n")
        .append("      <OrganizationId>").append(escape(organizationId)).append("</OrganizationId>\n")
        .append("      <ActionId>").append(escape(actionId)).append("</ActionId>\n")
        .append("      <SessionId xsi:nil=\"true\"/>\n")
        .append("      <EnterpriseUrl>").append(escape(instanceUrl + "/services/Soap/c/59.0/" + org15)).append("</EnterpriseUrl>\n")
        .append("      <PartnerUrl>").append(escape(instanceUrl + "/services/Soap/u/59.0/" + org15)).append("</PartnerUrl>\n");
    notifications.forEach(xml::append);
    return xml.append("    </notifications>\n  </soapenv:Body>\n</soapenv:Envelope>\n").toString();
  }

  /**
   * @param url the endpoint URL the message is posted to; an absolute http(s) URL
   * @param remoteAddress the sender's IP literal, or {@code null} for unknown
   * @param receivedAt the receive time; not {@code null}
   * @return a POST of {@link #build()} with Salesforce's headers ({@code Content-Type: text/xml;
   *     charset=utf-8}, {@code SOAPAction: ""})
   */
  public WebhookRequest toRequest(String url, String remoteAddress, Instant receivedAt) {
    return WebhookRequest.builder().method("POST").url(url).header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "\"\"").body(build()).remoteAddress(remoteAddress).receivedAt(receivedAt).build();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
