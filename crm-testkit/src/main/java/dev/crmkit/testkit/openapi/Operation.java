package dev.crmkit.testkit.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One operation of a {@link SpecDocument}: a method on a path template such as /contacts/{contactId}. */
record Operation(SpecDocument document, String method, String template, List<String> segments) {

  Operation(SpecDocument document, String method, String template) {
    this(document, method, template, split(template));
  }

  /** The key used in reports and messages, e.g. {@code "GET /crm/v3/objects/contacts/{contactId}"}. */
  String key() {
    return method + " " + template;
  }

  SpecDocument.Located node() {
    return new SpecDocument.Located("", document.root).child("paths", template, method.toLowerCase(Locale.ROOT));
  }

  /** The path template's variables bound to the request's segments, or null when the path does not match. */
  Map<String, String> bind(List<String> requestSegments) {
    if (requestSegments.size() != segments.size()) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (segment.startsWith("{") && segment.endsWith("}")) {
        if (requestSegments.get(i).isEmpty()) {
          return null;
        }
        values.put(segment.substring(1, segment.length() - 1), requestSegments.get(i));
      } else if (!segment.equals(requestSegments.get(i))) {
        return null;
      }
    }
    return values;
  }

  /** How many segments are literal; a literal match beats a template variable (/search over /{id}). */
  int literalSegments() {
    return (int) segments.stream().filter(s -> !s.startsWith("{")).count();
  }

  /** The operation's parameters located in {@code in} ("query", "path"), operation-level overriding path-level. */
  List<SpecDocument.Located> parameters(String in) {
    Map<String, SpecDocument.Located> byName = new LinkedHashMap<>();
    SpecDocument.Located pathItem = new SpecDocument.Located("", document.root).child("paths", template);
    for (SpecDocument.Located holder : List.of(pathItem, node())) {
      for (int i = 0; i < holder.node().path("parameters").size(); i++) {
        SpecDocument.Located parameter =
            document.resolve(holder.child("parameters", String.valueOf(i)).pointer());
        if (in.equals(parameter.node().path("in").asText())) {
          byName.put(parameter.node().path("name").asText(), parameter);
        }
      }
    }
    return new ArrayList<>(byName.values());
  }

  /**
   * Whether this template is more specific than another matching the same path: more literal
   * segments, or as many with a literal where the other has a variable, compared from the last
   * segment back ({@code /sobjects/{sObject}/describe} over {@code /sobjects/Contact/{id}}).
   */
  boolean moreSpecificThan(Operation other) {
    if (literalSegments() != other.literalSegments()) {
      return literalSegments() > other.literalSegments();
    }
    for (int i = segments.size() - 1; i >= 0 && i < other.segments.size(); i--) {
      boolean mine = !segments.get(i).startsWith("{");
      boolean theirs = !other.segments.get(i).startsWith("{");
      if (mine != theirs) {
        return mine;
      }
    }
    return false;
  }

  private static List<String> split(String template) {
    List<String> segments = new ArrayList<>(List.of(template.split("/", -1)));
    segments.remove(0);
    return List.copyOf(segments);
  }
}
