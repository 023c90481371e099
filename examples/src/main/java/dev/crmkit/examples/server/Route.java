package dev.crmkit.examples.server;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One route of the example server: method, path pattern, who may call it, how large a body it takes,
 * and what it does. Patterns are segments; {@code {name}} captures one segment, a last {@code
 * {name*}} the rest of the path. A literal segment outranks a capture, so {@code
 * /api/v1/integrations/configured} is not an id.
 *
 * <p>A {@link Access#TENANT} route whose pattern holds {@value #INTEGRATION_ID} acts on one of the
 * caller's integrations: the server checks that the tenant owns it before the handler runs, so a
 * route added later cannot forget to.
 *
 * @param method the HTTP method, upper case
 * @param pattern the path pattern, starting with {@code /}
 * @param access who may call it
 * @param maxBodyBytes the largest request body taken, in bytes; 0 for none
 * @param handler what it does
 */
record Route(String method, String pattern, Access access, int maxBodyBytes, Handler handler) {
  /** The path parameter naming an integration of the caller's tenant. */
  static final String INTEGRATION_ID = "{id}";

  /** Who may call a route. */
  enum Access {
    /** A tenant, by {@code Authorization: Bearer <token>}; 401 otherwise. */
    TENANT,
    /** Anyone: pages, the OAuth callback (its {@code state} names the integration), vendor webhooks (signed). */
    PUBLIC
  }

  /** What a route does with a call; answers through {@link Call}, or throws {@link ApiError}. */
  @FunctionalInterface
  interface Handler {
    void handle(Call call) throws IOException;
  }

  Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(handler, "handler");
    if (!Objects.requireNonNull(pattern, "pattern").startsWith("/")) {
      throw new IllegalArgumentException("pattern must start with /: '" + pattern + "'");
    }
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes must be 0 or more, was " + maxBodyBytes);
    }
  }

  /** Whether the route acts on one integration of the caller's tenant. */
  boolean ownsIntegration() {
    return access == Access.TENANT && Arrays.asList(segments(pattern)).contains(INTEGRATION_ID);
  }

  /** How many literal segments the pattern has: the more, the more specific. */
  int specificity() {
    return (int) Arrays.stream(segments(pattern)).filter(s -> !s.startsWith("{")).count();
  }

  /**
   * The path parameters when the decoded path segments fit the pattern.
   *
   * @param path the path's segments, percent-decoded
   */
  Optional<Map<String, String>> match(List<String> path) {
    String[] parts = segments(pattern);
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.endsWith("*}")) {
        if (i >= path.size()) {
          return Optional.empty();
        }
        params.put(part.substring(1, part.length() - 2), String.join("/", path.subList(i, path.size())));
        return Optional.of(params);
      }
      if (i >= path.size()) {
        return Optional.empty();
      }
      String given = path.get(i);
      if (part.startsWith("{")) {
        if (given.isEmpty()) {
          return Optional.empty();
        }
        params.put(part.substring(1, part.length() - 1), given);
      } else if (!part.equals(given)) {
        return Optional.empty();
      }
    }
    return parts.length == path.size() ? Optional.of(params) : Optional.empty();
  }

  private static String[] segments(String path) {
    return path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
  }

  @Override
  public String toString() {
    return method + " " + pattern;
  }
}
