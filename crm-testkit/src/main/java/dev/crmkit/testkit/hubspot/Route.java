package dev.crmkit.testkit.hubspot;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which endpoint a request is for: its operation, its stable counter key, the object type of a
 * {@code /crm/v3/objects/{type}} path and the path's parameters.
 *
 * @param type null outside the v3 objects API
 * @param params the id path segments: {@code [id]} for one object; {@code [fromType, fromId,
 *     toType]} or {@code [fromType, fromId, toType, toId]} for v4 associations; {@code [objectType]},
 *     {@code [objectType, pipelineId]} or {@code [objectType, pipelineId, stageId]} for pipelines
 */
record Route(Op op, String key, ObjectType type, List<String> params) {
  enum Op {
    LIST, CREATE, READ, UPDATE, ARCHIVE, SEARCH,
    BATCH_READ, BATCH_CREATE, BATCH_UPDATE, BATCH_UPSERT, BATCH_ARCHIVE,
    MERGE, GDPR_DELETE,
    ASSOCIATIONS_LIST, ASSOCIATE_DEFAULT, DISASSOCIATE,
    PIPELINES_LIST, PIPELINE_READ, PIPELINE_STAGES, PIPELINE_STAGE,
    OAUTH_TOKEN, OAUTH_AUTHORIZE, ACCESS_TOKEN_INFO,
    UNKNOWN
  }

  private static final Set<String> BATCH_OPS = Set.of("read", "create", "update", "upsert", "archive");

  boolean search() {
    return op == Op.SEARCH;
  }

  static Route of(String method, List<String> pathSegments) {
    List<String> s = new ArrayList<>(pathSegments);
    if (!s.isEmpty() && s.get(s.size() - 1).isEmpty()) {
      s.remove(s.size() - 1);
    }
    if (s.equals(List.of("oauth", "authorize")) && (method.equals("GET") || method.equals("POST"))) {
      return new Route(Op.OAUTH_AUTHORIZE,
          method.equals("GET") ? HubSpotCounters.OAUTH_AUTHORIZE : HubSpotCounters.OAUTH_ALLOW, null, List.of());
    }
    if (s.size() == 4 && s.subList(0, 3).equals(List.of("oauth", "v1", "access-tokens")) && method.equals("GET")) {
      return new Route(Op.ACCESS_TOKEN_INFO, HubSpotCounters.ACCESS_TOKEN_INFO, null, List.of(s.get(3)));
    }
    if (s.equals(List.of("oauth", "v1", "token")) && method.equals("POST")) {
      return new Route(Op.OAUTH_TOKEN, HubSpotCounters.OAUTH_TOKEN, null, List.of());
    }
    if (s.size() >= 4 && s.subList(0, 3).equals(List.of("crm", "v3", "objects"))) {
      ObjectType type = ObjectType.fromPath(s.get(3));
      if (type != null && (type.path.equals(s.get(3)) || s.get(3).equals(type.objectTypeId()))) {
        return objects(method, type, s.subList(4, s.size()));
      }
    }
    if (s.size() >= 4 && s.size() <= 7 && s.subList(0, 3).equals(List.of("crm", "v3", "pipelines"))
        && method.equals("GET")) {
      return pipelines(s.subList(3, s.size()));
    }
    if (s.size() >= 7 && s.subList(0, 3).equals(List.of("crm", "v4", "objects")) && s.get(5).equals("associations")) {
      List<String> rest = s.subList(6, s.size());
      if (method.equals("GET") && rest.size() == 1) {
        return new Route(Op.ASSOCIATIONS_LIST, HubSpotCounters.ASSOCIATIONS_LIST, null, List.of(s.get(3), s.get(4), rest.get(0)));
      }
      if (method.equals("PUT") && rest.size() == 3 && rest.get(0).equals("default")) {
        return new Route(Op.ASSOCIATE_DEFAULT, HubSpotCounters.ASSOCIATE_DEFAULT, null,
            List.of(s.get(3), s.get(4), rest.get(1), rest.get(2)));
      }
      if (method.equals("DELETE") && rest.size() == 2) {
        return new Route(Op.DISASSOCIATE, HubSpotCounters.DISASSOCIATE, null,
            List.of(s.get(3), s.get(4), rest.get(0), rest.get(1)));
      }
    }
    return unknown();
  }

  private static Route objects(String method, ObjectType type, List<String> rest) {
    String base = method + " /crm/v3/objects/" + type.path;
    if (rest.isEmpty()) {
      if (method.equals("GET")) {
        return new Route(Op.LIST, base, type, List.of());
      }
      return method.equals("POST") ? new Route(Op.CREATE, base, type, List.of()) : unknown();
    }
    if (method.equals("POST") && rest.size() == 1) {
      switch (rest.get(0)) {
        case "search":
          return new Route(Op.SEARCH, base + "/search", type, List.of());
        case "merge":
          return type == ObjectType.CONTACTS ? new Route(Op.MERGE, base + "/merge", type, List.of()) : unknown();
        case "gdpr-delete":
          return type == ObjectType.CONTACTS ? new Route(Op.GDPR_DELETE, base + "/gdpr-delete", type, List.of()) : unknown();
        default:
          return unknown();
      }
    }
    if (method.equals("POST") && rest.size() == 2 && rest.get(0).equals("batch") && BATCH_OPS.contains(rest.get(1))) {
      Op op = Op.valueOf("BATCH_" + rest.get(1).toUpperCase(java.util.Locale.ROOT));
      if (op == Op.BATCH_UPSERT && type != ObjectType.CONTACTS) {
        return unknown();
      }
      return new Route(op, base + "/batch/" + rest.get(1), type, List.of());
    }
    if (rest.size() == 1) {
      String key = base + "/{" + type.idParameter + "}";
      switch (method) {
        case "GET":
          return new Route(Op.READ, key, type, List.of(rest.get(0)));
        case "PATCH":
          return new Route(Op.UPDATE, key, type, List.of(rest.get(0)));
        case "DELETE":
          return new Route(Op.ARCHIVE, key, type, List.of(rest.get(0)));
        default:
          return unknown();
      }
    }
    return unknown();
  }

  private static Route pipelines(List<String> rest) {
    String base = "GET /crm/v3/pipelines/{objectType}";
    switch (rest.size()) {
      case 1:
        return new Route(Op.PIPELINES_LIST, base, null, List.copyOf(rest));
      case 2:
        return new Route(Op.PIPELINE_READ, base + "/{pipelineId}", null, List.copyOf(rest));
      case 3:
        return rest.get(2).equals("stages")
            ? new Route(Op.PIPELINE_STAGES, base + "/{pipelineId}/stages", null, List.of(rest.get(0), rest.get(1)))
            : unknown();
      default:
        return rest.get(2).equals("stages")
            ? new Route(Op.PIPELINE_STAGE, base + "/{pipelineId}/stages/{stageId}", null,
                List.of(rest.get(0), rest.get(1), rest.get(3)))
            : unknown();
    }
  }

  private static Route unknown() {
    return new Route(Op.UNKNOWN, HubSpotCounters.UNKNOWN, null, List.of());
  }
}
