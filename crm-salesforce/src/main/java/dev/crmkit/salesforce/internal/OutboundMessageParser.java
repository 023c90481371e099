package dev.crmkit.salesforce.internal;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a Salesforce outbound message, the SOAP {@code notifications} envelope, with the JDK's StAX
 * parser hardened against XML attacks: a document type declaration is refused as soon as it is seen
 * (so no entity is ever declared, expanded or fetched: no XXE, no billion laughs), external DTDs and
 * schemas cannot be loaded, element nesting is capped, and reading stops at the first notification past
 * the limit. Thread-safe: each call makes its own reader.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_wsdl.htm">Salesforce: the outbound messaging WSDL</a>
 */
public final class OutboundMessageParser {
  /** The SOAP 1.1 envelope namespace. */
  public static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
  /** The outbound message namespace. */
  public static final String OUTBOUND_NS = "http://soap.sforce.com/2005/09/outbound";
  private static final String XSI_NS = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;
  private static final int MAX_DEPTH = 16;
  private static final int MAX_FIELDS = 1_000;

  /** One notification: its id, the sObject's type (from {@code xsi:type}) and fields in document order ({@code xsi:nil} as null). */
  public record Notification(String id, String sObjectType, Map<String, String> fields) {}

  /** The message: the header fields and the notifications in document order. */
  public record Message(String organizationId, String actionId, String enterpriseUrl, String partnerUrl,
      List<Notification> notifications) {}

  private final int maxNotifications;
  private final XMLInputFactory factory;

  /** @param maxNotifications the most notifications accepted in one message */
  public OutboundMessageParser(int maxNotifications) {
    this.maxNotifications = maxNotifications;
    // The JDK's own implementation, whatever StAX provider the host has on its class path.
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    f.setXMLResolver((publicId, systemId, base, ns) -> {
      throw new XMLStreamException("external resources are not read: " + systemId);
    });
    this.factory = f;
  }

  /**
   * @param body the raw request body
   * @return the message
   * @throws ValidationException naming {@code body} when the XML is malformed, holds a DOCTYPE or an
   *     entity reference, nests too deep or is not a {@code notifications} envelope; naming {@code
   *     notifications} when there are more than the limit or a notification lacks its id or sObject
   */
  public Message parse(byte[] body) {
    XMLStreamReader r = null;
    try {
      r = factory.createXMLStreamReader(new ByteArrayInputStream(body));
      return read(r);
    } catch (XMLStreamException | RuntimeException e) {
      if (e instanceof ValidationException v) {
        throw v;
      }
      throw bad("body", null, "not a well-formed XML document: " + lastLine(e.getMessage()));
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // Nothing is held open: the input is an in-memory array.
        }
      }
    }
  }

  private Message read(XMLStreamReader r) throws XMLStreamException {
    requireStart(r, SOAP_NS, "Envelope");
    Message message = null;
    // Children of the Envelope until its end (Header skipped); then only the document's end may follow.
    while (r.hasNext()) {
      int event = next(r);
      if (event == XMLStreamConstants.START_ELEMENT) {
        if (message == null && SOAP_NS.equals(r.getNamespaceURI()) && "Body".equals(r.getLocalName())) {
          message = readBody(r);
        } else {
          skip(r, 2);
        }
      }
    }
    if (message == null) {
      throw bad("body", null, "a SOAP envelope whose Body holds a notifications element of namespace " + OUTBOUND_NS
          + " was expected");
    }
    return message;
  }

  private Message readBody(XMLStreamReader r) throws XMLStreamException {
    Message message = null;
    while (true) {
      int event = next(r);
      if (event == XMLStreamConstants.END_ELEMENT) {
        return message;
      }
      if (event == XMLStreamConstants.START_ELEMENT) {
        if (message == null && OUTBOUND_NS.equals(r.getNamespaceURI()) && "notifications".equals(r.getLocalName())) {
          message = readNotifications(r);
        } else {
          skip(r, 3);
        }
      }
    }
  }

  private Message readNotifications(XMLStreamReader r) throws XMLStreamException {
    String org = null;
    String action = null;
    String enterprise = null;
    String partner = null;
    List<Notification> notifications = new ArrayList<>();
    while (true) {
      int event = next(r);
      if (event == XMLStreamConstants.END_ELEMENT) {
        break;
      }
      if (event != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      String name = OUTBOUND_NS.equals(r.getNamespaceURI()) ? r.getLocalName() : "";
      switch (name) {
        case "OrganizationId" -> org = text(r, 4);
        case "ActionId" -> action = text(r, 4);
        // Never kept: a session id is a credential of the sending user.
        case "SessionId" -> skip(r, 4);
        case "EnterpriseUrl" -> enterprise = text(r, 4);
        case "PartnerUrl" -> partner = text(r, 4);
        case "Notification" -> {
          if (notifications.size() == maxNotifications) {
            throw bad("notifications", Integer.toString(maxNotifications + 1), "a message holds at most "
                + maxNotifications + " notifications");
          }
          notifications.add(readNotification(r, notifications.size()));
        }
        default -> skip(r, 4);
      }
    }
    if (org == null || org.isBlank()) {
      throw bad("OrganizationId", null, "an outbound message must name its OrganizationId");
    }
    return new Message(org.strip(), blankToNull(action), blankToNull(enterprise), blankToNull(partner),
        List.copyOf(notifications));
  }

  private Notification readNotification(XMLStreamReader r, int index) throws XMLStreamException {
    String id = null;
    String type = null;
    Map<String, String> fields = null;
    while (true) {
      int event = next(r);
      if (event == XMLStreamConstants.END_ELEMENT) {
        break;
      }
      if (event != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      String name = OUTBOUND_NS.equals(r.getNamespaceURI()) ? r.getLocalName() : "";
      if (name.equals("Id")) {
        id = text(r, 5);
      } else if (name.equals("sObject")) {
        String xsiType = r.getAttributeValue(XSI_NS, "type");
        type = xsiType == null ? null : xsiType.substring(xsiType.indexOf(':') + 1).strip();
        fields = readFields(r);
      } else {
        skip(r, 5);
      }
    }
    if (id == null || id.isBlank()) {
      throw bad("notifications[" + index + "].Id", null, "a notification needs its Id");
    }
    if (fields == null) {
      throw bad("notifications[" + index + "].sObject", null, "a notification needs its sObject");
    }
    return new Notification(id.strip(), type == null || type.isEmpty() ? null : type, fields);
  }

  private Map<String, String> readFields(XMLStreamReader r) throws XMLStreamException {
    Map<String, String> fields = new LinkedHashMap<>();
    while (true) {
      int event = next(r);
      if (event == XMLStreamConstants.END_ELEMENT) {
        return Collections.unmodifiableMap(fields);
      }
      if (event != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      if (fields.size() == MAX_FIELDS) {
        throw bad("sObject", null, "an sObject holds at most " + MAX_FIELDS + " fields");
      }
      String name = r.getLocalName();
      boolean nil = "true".equals(r.getAttributeValue(XSI_NS, "nil"));
      String value = text(r, 6);
      fields.put(name, nil ? null : value);
    }
  }

  /** The text of a simple element; a nested element (a relationship) is skipped and reads as its text so far. */
  private String text(XMLStreamReader r, int depth) throws XMLStreamException {
    StringBuilder text = new StringBuilder();
    while (true) {
      int event = next(r);
      if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
          || event == XMLStreamConstants.SPACE) {
        text.append(r.getText());
      } else if (event == XMLStreamConstants.START_ELEMENT) {
        skip(r, depth + 1);
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        return text.toString();
      }
    }
  }

  /** Skips the current element, whose start was just read. */
  private void skip(XMLStreamReader r, int depth) throws XMLStreamException {
    if (depth > MAX_DEPTH) {
      throw bad("body", null, "elements nest deeper than " + MAX_DEPTH + " levels");
    }
    while (true) {
      int event = next(r);
      if (event == XMLStreamConstants.START_ELEMENT) {
        skip(r, depth + 1);
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        return;
      }
    }
  }

  private void requireStart(XMLStreamReader r, String ns, String local) throws XMLStreamException {
    while (r.hasNext()) {
      int event = next(r);
      if (event == XMLStreamConstants.START_ELEMENT) {
        if (!ns.equals(r.getNamespaceURI()) || !local.equals(r.getLocalName())) {
          throw bad("body", r.getLocalName(), "a SOAP Envelope of namespace " + ns + " was expected");
        }
        return;
      }
    }
    throw bad("body", null, "empty document: a SOAP Envelope was expected");
  }

  /** The next event, refusing what a SOAP message never holds and what XML attacks need. */
  private static int next(XMLStreamReader r) throws XMLStreamException {
    int event = r.next();
    if (event == XMLStreamConstants.DTD) {
      throw bad("body", null, "a DOCTYPE is not allowed in an outbound message (entities are never expanded)");
    }
    if (event == XMLStreamConstants.ENTITY_REFERENCE) {
      throw bad("body", r.getLocalName(), "an entity reference is not allowed in an outbound message");
    }
    return event;
  }

  private static ValidationException bad(String field, String value, String message) {
    return new ValidationException(SalesforceApi.PROVIDER, List.of(new FieldError(field, value, message)));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static String lastLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    String line = s.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse(s);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
