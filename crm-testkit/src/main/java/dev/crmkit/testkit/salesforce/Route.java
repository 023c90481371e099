package dev.crmkit.testkit.salesforce;

import java.util.ArrayList;
import java.util.List;

/**
 * Which endpoint a request is for: its operation, its counter key (see {@link
 * SalesforceCounters}) and its path parameters.
 *
 * @param version the {@code vXX.X} segment of a {@code /services/data/vXX.X/...} path, or the {@code XX.X} of
 *     a {@code /services/Soap/u/XX.X} one; null otherwise
 * @param params the path parameters in order, such as {@code [type, id]}
 */
record Route(Op op, String key, String version, List<String> params) {
  enum Op {
    VERSIONS, RESOURCES, LIMITS, DESCRIBE_GLOBAL, DESCRIBE, CREATE, READ, UPDATE, DELETE, UPDATED, DELETED,
    QUERY, QUERY_MORE, QUERY_ALL, QUERY_ALL_MORE, COLLECTION_CREATE, COLLECTION_UPDATE, COLLECTION_DELETE,
    COMPOSITE, BLOB, BULK_CREATE, BULK_UPLOAD, BULK_STATE, BULK_INFO, BULK_RESULTS, OAUTH_TOKEN, OAUTH_AUTHORIZE, SOAP,
    UNKNOWN
  }

  /** @return whether the request needs a session and counts toward the daily API allocation */
  boolean api() {
    return op != Op.VERSIONS && op != Op.OAUTH_TOKEN && op != Op.OAUTH_AUTHORIZE;
  }

  static Route of(String method, List<String> pathSegments) {
    List<String> s = new ArrayList<>(pathSegments);
    if (!s.isEmpty() && s.get(s.size() - 1).isEmpty()) {
      s.remove(s.size() - 1);
    }
    if (s.equals(List.of("services", "oauth2", "authorize"))) {
      return method.equals("GET") || method.equals("POST") ? new Route(Op.OAUTH_AUTHORIZE,
          method.equals("GET") ? SalesforceCounters.OAUTH_AUTHORIZE : SalesforceCounters.OAUTH_ALLOW, null, List.of())
          : unknown();
    }
    if (s.equals(List.of("services", "oauth2", "token"))) {
      return method.equals("POST") ? new Route(Op.OAUTH_TOKEN, SalesforceCounters.OAUTH_TOKEN, null, List.of()) : unknown();
    }
    if (s.size() == 4 && s.get(0).equals("services") && s.get(1).equals("Soap") && s.get(2).equals("u")) {
      return method.equals("POST") && s.get(3).matches("\\d{2}\\.0")
          ? new Route(Op.SOAP, SalesforceCounters.SOAP, s.get(3), List.of()) : unknown();
    }
    if (s.size() < 2 || !s.get(0).equals("services") || !s.get(1).equals("data")) {
      return unknown();
    }
    if (s.size() == 2) {
      return method.equals("GET") ? new Route(Op.VERSIONS, "GET /services/data", null, List.of()) : unknown();
    }
    String version = s.get(2);
    if (!version.matches("v\\d{2}\\.0")) {
      return unknown();
    }
    List<String> rest = s.subList(3, s.size());
    String base = method + " /services/data/vXX.X";
    if (rest.isEmpty()) {
      return method.equals("GET") ? new Route(Op.RESOURCES, base, version, List.of()) : unknown();
    }
    switch (rest.get(0)) {
      case "limits":
        return get(method, rest.size() == 1, Op.LIMITS, base + "/limits", version, List.of());
      case "query":
      case "queryAll":
        boolean all = rest.get(0).equals("queryAll");
        if (rest.size() == 1) {
          return get(method, true, all ? Op.QUERY_ALL : Op.QUERY, base + "/" + rest.get(0), version, List.of());
        }
        return get(method, rest.size() == 2, all ? Op.QUERY_ALL_MORE : Op.QUERY_MORE,
            base + "/" + rest.get(0) + "/{queryLocator}", version, List.of(rest.get(1)));
      case "sobjects":
        return sobjects(method, rest.subList(1, rest.size()), base + "/sobjects", version);
      case "composite":
        if (rest.size() == 1 && method.equals("POST")) {
          return new Route(Op.COMPOSITE, SalesforceCounters.COMPOSITE, version, List.of());
        }
        if (rest.size() == 2 && rest.get(1).equals("sobjects")) {
          String key = method + " /services/data/vXX.X/composite/sobjects";
          switch (method) {
            case "POST":
              return new Route(Op.COLLECTION_CREATE, key, version, List.of());
            case "PATCH":
              return new Route(Op.COLLECTION_UPDATE, key, version, List.of());
            case "DELETE":
              return new Route(Op.COLLECTION_DELETE, key, version, List.of());
            default:
              return unknown();
          }
        }
        return unknown();
      case "jobs":
        return bulk(method, rest, base, version);
      default:
        return unknown();
    }
  }

  private static Route sobjects(String method, List<String> rest, String base, String version) {
    if (rest.isEmpty()) {
      return get(method, true, Op.DESCRIBE_GLOBAL, base, version, List.of());
    }
    String type = rest.get(0);
    if (rest.size() == 1) {
      return method.equals("POST") ? new Route(Op.CREATE, base + "/{sObject}", version, List.of(type)) : unknown();
    }
    if (rest.size() == 2) {
      switch (rest.get(1)) {
        case "describe":
          return get(method, true, Op.DESCRIBE, base + "/{sObject}/describe", version, List.of(type));
        case "updated":
          return get(method, true, Op.UPDATED, base + "/{sObject}/updated", version, List.of(type));
        case "deleted":
          return get(method, true, Op.DELETED, base + "/{sObject}/deleted", version, List.of(type));
        default:
          String key = base + "/{sObject}/{id}";
          switch (method) {
            case "GET":
              return new Route(Op.READ, key, version, List.of(type, rest.get(1)));
            case "PATCH":
              return new Route(Op.UPDATE, key, version, List.of(type, rest.get(1)));
            case "DELETE":
              return new Route(Op.DELETE, key, version, List.of(type, rest.get(1)));
            default:
              return unknown();
          }
      }
    }
    if (rest.size() == 3 && method.equals("GET")) {
      return new Route(Op.BLOB, base + "/{sObject}/{id}/{blobField}", version, List.of(type, rest.get(1), rest.get(2)));
    }
    return unknown();
  }

  private static Route bulk(String method, List<String> rest, String base, String version) {
    if (rest.size() < 2 || !rest.get(1).equals("ingest")) {
      return unknown();
    }
    String key = "/jobs/ingest";
    if (rest.size() == 2) {
      return method.equals("POST") ? new Route(Op.BULK_CREATE, base + key, version, List.of()) : unknown();
    }
    String job = rest.get(2);
    if (rest.size() == 3) {
      if (method.equals("GET")) {
        return new Route(Op.BULK_INFO, base + key + "/{jobId}", version, List.of(job));
      }
      return method.equals("PATCH") ? new Route(Op.BULK_STATE, base + key + "/{jobId}", version, List.of(job)) : unknown();
    }
    if (rest.size() == 4) {
      String what = rest.get(3);
      if (what.equals("batches")) {
        return method.equals("PUT") ? new Route(Op.BULK_UPLOAD, base + key + "/{jobId}/batches", version, List.of(job)) : unknown();
      }
      if (method.equals("GET") && (what.equals("successfulResults") || what.equals("failedResults")
          || what.equals("unprocessedrecords"))) {
        return new Route(Op.BULK_RESULTS, base + key + "/{jobId}/" + what, version, List.of(job, what));
      }
    }
    return unknown();
  }

  private static Route get(String method, boolean shapeOk, Op op, String key, String version, List<String> params) {
    return method.equals("GET") && shapeOk ? new Route(op, key, version, params) : unknown();
  }

  private static Route unknown() {
    return new Route(Op.UNKNOWN, SalesforceCounters.UNKNOWN, null, List.of());
  }
}
