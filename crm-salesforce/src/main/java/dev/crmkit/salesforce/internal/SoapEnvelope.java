package dev.crmkit.salesforce.internal;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Partner SOAP API envelopes: written as text with every value escaped, read into a small element tree
 * with a hardened StAX reader, as {@link OutboundMessageParser} reads outbound messages: DTDs are refused
 * (so no entity is ever declared, expanded or fetched), entity references too, and documents deeper than
 * {@value #MAX_DEPTH} levels or with more than {@value #MAX_ELEMENTS} elements. Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_header_sessionheader.htm">Salesforce: SessionHeader</a>
 */
public final class SoapEnvelope {
  /** SOAP 1.1. */
  public static final String ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/";
  /** The partner WSDL's calls and results. */
  public static final String PARTNER_NS = "urn:partner.soap.sforce.com";
  /** The partner WSDL's sObject fields ({@code type}, {@code Id}, {@code fieldsToNull}, the fields). */
  public static final String SOBJECT_NS = "urn:sobject.partner.soap.sforce.com";
  static final int MAX_DEPTH = 32;
  static final int MAX_ELEMENTS = 20_000;
  private static final String XSI_NS = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;
  private static final XMLInputFactory FACTORY = factory();

  /** An element: local name, {@code xsi:nil}, its text (trimmed) and its child elements. */
  public record Element(String namespace, String name, boolean nil, String text, List<Element> children) {
    /** @return the first child of that local name, or null */
    public Element child(String localName) {
      for (Element c : children) {
        if (c.name.equals(localName)) {
          return c;
        }
      }
      return null;
    }

    /** @return the children of that local name, in order */
    public List<Element> all(String localName) {
      List<Element> out = new ArrayList<>();
      for (Element c : children) {
        if (c.name.equals(localName)) {
          out.add(c);
        }
      }
      return out;
    }

    /** @return the text of the first child of that name; null when there is none or it is nil */
    public String text(String localName) {
      Element c = child(localName);
      return c == null || c.nil ? null : c.text;
    }
  }

  /** A body that is not a SOAP envelope this reader accepts. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** A fault: the code without its prefix (such as {@code INVALID_SESSION_ID}) and the fault string. */
  public record Fault(String code, String message) {}

  private SoapEnvelope() {}

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    return f;
  }

  /**
   * A request envelope with the session in its {@code SessionHeader}.
   *
   * @param sessionId the OAuth access token
   * @param call the body's content, already escaped (built with {@link #escape})
   */
  public static String request(String sessionId, String call) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + ENVELOPE_NS
        + "\" xmlns:urn=\"" + PARTNER_NS + "\" xmlns:sobj=\"" + SOBJECT_NS + "\"><soapenv:Header><urn:SessionHeader>"
        + "<urn:sessionId>" + escape(sessionId) + "</urn:sessionId></urn:SessionHeader></soapenv:Header><soapenv:Body>"
        + call + "</soapenv:Body></soapenv:Envelope>";
  }

  /**
   * The envelope's {@code Body}.
   *
   * @throws Malformed when the text is not well-formed, holds a DOCTYPE or entity reference, is too deep or
   *     is not a SOAP 1.1 envelope with a body
   */
  public static Element body(String xml) throws Malformed {
    Element envelope = parse(xml);
    if (!envelope.name().equals("Envelope") || !ENVELOPE_NS.equals(envelope.namespace())) {
      throw new Malformed("not a SOAP 1.1 Envelope: " + envelope.name());
    }
    Element body = envelope.child("Body");
    if (body == null) {
      throw new Malformed("the Envelope has no Body");
    }
    return body;
  }

  /** The envelope's {@code Header}, or null when it has none. */
  public static Element header(String xml) throws Malformed {
    return parse(xml).child("Header");
  }

  /**
   * The fault of a response body; never throws.
   *
   * @return the fault, or null when the body is no SOAP envelope with a fault
   */
  public static Fault fault(String xml) {
    try {
      Element fault = body(xml).child("Fault");
      if (fault == null) {
        return null;
      }
      String code = fault.text("faultcode");
      String message = fault.text("faultstring");
      if (code == null) {
        return new Fault(null, message);
      }
      int colon = code.indexOf(':');
      String local = colon < 0 ? code : code.substring(colon + 1);
      // Only Salesforce's own codes (sf:...) are error codes; soapenv:Client and :Server are not.
      boolean salesforce = colon > 0 && code.startsWith("sf:");
      return new Fault(salesforce ? local : null, message);
    } catch (Malformed e) {
      return null;
    }
  }

  static Element parse(String xml) throws Malformed {
    XMLStreamReader r = null;
    try {
      r = FACTORY.createXMLStreamReader(new StringReader(xml));
      int[] count = {0};
      while (r.hasNext()) {
        if (next(r) == XMLStreamConstants.START_ELEMENT) {
          return element(r, 1, count);
        }
      }
      throw new Malformed("empty document");
    } catch (XMLStreamException e) {
      throw new Malformed("not well-formed XML: " + e.getMessage());
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing is held
        }
      }
    }
  }

  private static Element element(XMLStreamReader r, int depth, int[] count) throws XMLStreamException, Malformed {
    if (depth > MAX_DEPTH || ++count[0] > MAX_ELEMENTS) {
      throw new Malformed("more than " + MAX_DEPTH + " levels or " + MAX_ELEMENTS + " elements");
    }
    String ns = r.getNamespaceURI() == null ? "" : r.getNamespaceURI();
    String name = r.getLocalName();
    boolean nil = "true".equals(r.getAttributeValue(XSI_NS, "nil"));
    StringBuilder text = new StringBuilder();
    List<Element> children = new ArrayList<>();
    while (true) {
      int event = next(r);
      if (event == XMLStreamConstants.START_ELEMENT) {
        children.add(element(r, depth + 1, count));
      } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
        text.append(r.getText());
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        return new Element(ns, name, nil, text.toString().strip(), List.copyOf(children));
      } else if (event == XMLStreamConstants.END_DOCUMENT) {
        throw new Malformed("unexpected end of document");
      }
    }
  }

  private static int next(XMLStreamReader r) throws XMLStreamException, Malformed {
    int event = r.next();
    if (event == XMLStreamConstants.DTD) {
      throw new Malformed("a DOCTYPE is not allowed in a SOAP message (entities are never expanded)");
    }
    if (event == XMLStreamConstants.ENTITY_REFERENCE) {
      throw new Malformed("an entity reference is not allowed in a SOAP message");
    }
    return event;
  }

  /**
   * Text escaped for element content. Characters XML 1.0 cannot hold (controls other than tab, line feed and
   * carriage return) are refused.
   *
   * @throws IllegalArgumentException naming the character's code when the text holds one
   */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\r' -> out.append("&#13;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' || c == 0xFFFE || c == 0xFFFF) {
            throw new IllegalArgumentException("XML cannot hold the character U+" + String.format("%04X", (int) c));
          }
          out.append(c);
        }
      }
    }
    return out.toString();
  }
}
