package dev.crmkit.testkit.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One request of the Postman collection as {@link PostmanShapes} checks it: method, path template,
 * query keys, content type and body. Built from the collection file, then refined where Salesforce's
 * documentation says more than the example (which keys are optional, which values are allowed). Not
 * thread-safe while refined; read-only afterwards.
 */
final class PostmanRequest {
  /** How the request carries its body. */
  enum Body { NONE, JSON, FORM, CSV }

  private static final Pattern VARIABLE = Pattern.compile("\\{\\{[^}]*}}|<[A-Z_]+>");
  private static final Pattern VERSION = Pattern.compile("v\\d{2,3}\\.\\d");

  final String key;
  final String name;
  final String method;
  List<String> segments;
  final Set<String> query = new LinkedHashSet<>();
  final Set<String> requiredQuery = new LinkedHashSet<>();
  Body body = Body.NONE;
  String contentType;
  BodyShape shape;
  final Set<String> form = new LinkedHashSet<>();
  final Set<String> requiredForm = new LinkedHashSet<>();
  final Map<String, String> formConstants = new LinkedHashMap<>();
  /** Query values that tell this request from others on its path, such as {@code response_type=code}. */
  final Map<String, String> queryConstants = new LinkedHashMap<>();
  /** Documentation behind a refinement, for messages; null when the request is as the collection has it. */
  String refinedFrom;

  PostmanRequest(String key, JsonNode item) {
    this.key = key;
    this.name = item.path("name").asText(key);
    this.method = item.path("method").asText("GET").toUpperCase(Locale.ROOT);
    this.segments = template(item.path("url").asText());
    for (JsonNode param : item.path("queryParams")) {
      query.add(param.path("key").asText());
      if (param.path("enabled").asBoolean(true)) {
        requiredQuery.add(param.path("key").asText());
      }
    }
    String declaredType = null;
    for (JsonNode header : item.path("headerData")) {
      if (header.path("key").asText().equalsIgnoreCase("Content-Type")) {
        declaredType = header.path("value").asText();
      }
    }
    String mode = item.path("dataMode").asText("");
    switch (mode) {
      case "urlencoded":
      case "params":
        body = Body.FORM;
        contentType = "application/x-www-form-urlencoded";
        for (JsonNode field : item.path("data")) {
          String fieldKey = field.path("key").asText();
          String value = field.path("value").asText("");
          form.add(fieldKey);
          requiredForm.add(fieldKey);
          if (!value.isEmpty() && !VARIABLE.matcher(value).find()) {
            formConstants.put(fieldKey, value);
          }
        }
        break;
      case "binary":
        body = Body.CSV;
        contentType = declaredType;
        break;
      case "raw":
        String raw = item.path("rawModeData").asText("");
        if (!raw.isBlank()) {
          body = Body.JSON;
          contentType = declaredType;
          try {
            shape = BodyShape.fromExample(PostmanShapes.JSON.readTree(raw));
          } catch (java.io.IOException notJson) {
            shape = null;
          }
        }
        break;
      default:
        break;
    }
  }

  /** The path as segments: {@code v{version}} for the API version, {@code {name}} for a variable. */
  static List<String> template(String url) {
    String path = url.replaceFirst("\\?.*$", "");
    path = path.replaceFirst("^(\\{\\{[^}]*}})+", "");
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      if (segment.equals("v{{version}}")) {
        segments.add("v{version}");
      } else if (VARIABLE.matcher(segment).matches()) {
        segments.add("{" + segment.replaceAll("[{}<>_]", "").toLowerCase(Locale.ROOT) + "}");
      } else {
        segments.add(segment);
      }
    }
    return List.copyOf(segments);
  }

  /** {@code "POST /services/data/v{version}/composite/sobjects"}. */
  String describe() {
    return method + " /" + String.join("/", segments);
  }

  /** Whether the request path's segments fit the template. */
  boolean matchesPath(List<String> requestSegments) {
    if (requestSegments.size() != segments.size()) {
      return false;
    }
    for (int i = 0; i < segments.size(); i++) {
      String template = segments.get(i);
      String actual = requestSegments.get(i);
      if (template.equals("v{version}")) {
        if (!VERSION.matcher(actual).matches()) {
          return false;
        }
      } else if (template.startsWith("{")) {
        if (actual.isEmpty()) {
          return false;
        }
      } else if (!template.equals(actual)) {
        return false;
      }
    }
    return true;
  }

  int literalSegments() {
    return (int) segments.stream().filter(s -> !s.startsWith("{")).count();
  }

  /** As {@link Operation#moreSpecificThan}: more literals, or a literal later in the path. */
  boolean moreSpecificThan(PostmanRequest other) {
    if (literalSegments() != other.literalSegments()) {
      return literalSegments() > other.literalSegments();
    }
    for (int i = segments.size() - 1; i >= 0; i--) {
      boolean mine = !segments.get(i).startsWith("{");
      boolean theirs = !other.segments.get(i).startsWith("{");
      if (mine != theirs) {
        return mine;
      }
    }
    return false;
  }

  /** A path variable's value in a matching request, or null. */
  String pathValue(String variable, List<String> requestSegments) {
    int at = segments.indexOf("{" + variable + "}");
    return at < 0 ? null : requestSegments.get(at);
  }
}
