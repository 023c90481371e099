package dev.crmkit.testkit.salesforce;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A SOAP message read into a small element tree with a hardened StAX reader: no DTD (so no entity is
 * declared, expanded or fetched), no entity references, at most {@value #MAX_DEPTH} levels and
 * {@value #MAX_ELEMENTS} elements. Also escapes text for the emulator's answers. Thread-safe.
 */
final class SoapXml {
  static final String ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/";
  static final String XSI_NS = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;
  static final int MAX_DEPTH = 32;
  static final int MAX_ELEMENTS = 20_000;
  private static final XMLInputFactory FACTORY = factory();

  /** An element: namespace, local name, {@code xsi:nil}, its text (trimmed) and its child elements. */
  record Element(String namespace, String name, boolean nil, String text, List<Element> children) {
    /** @return the first child of that local name, or null */
    Element child(String localName) {
      for (Element c : children) {
        if (c.name.equals(localName)) {
          return c;
        }
      }
      return null;
    }

    /** @return the children of that local name, in order */
    List<Element> all(String localName) {
      List<Element> out = new ArrayList<>();
      for (Element c : children) {
        if (c.name.equals(localName)) {
          out.add(c);
        }
      }
      return out;
    }

    /** @return the text of the first child of that name, or null when there is none */
    String text(String localName) {
      Element c = child(localName);
      return c == null ? null : c.text;
    }
  }

  /** Not well-formed, or something a SOAP message never holds (a DOCTYPE, an entity reference, too deep). */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private SoapXml() {}

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

  /** @return the document element */
  static Element parse(String xml) throws Malformed {
    XMLStreamReader r = null;
    try {
      r = FACTORY.createXMLStreamReader(new StringReader(xml));
      int[] count = {0};
      while (r.hasNext()) {
        int event = next(r);
        if (event == XMLStreamConstants.START_ELEMENT) {
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
          // nothing held
        }
      }
    }
  }

  private static Element element(XMLStreamReader r, int depth, int[] count) throws XMLStreamException, Malformed {
    if (depth > MAX_DEPTH || ++count[0] > MAX_ELEMENTS) {
      throw new Malformed("the message is nested deeper than " + MAX_DEPTH + " or has more than " + MAX_ELEMENTS
          + " elements");
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
      throw new Malformed("a DOCTYPE is not allowed in a SOAP message");
    }
    if (event == XMLStreamConstants.ENTITY_REFERENCE) {
      throw new Malformed("an entity reference is not allowed in a SOAP message");
    }
    return event;
  }

  /** @return text escaped for element content */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
