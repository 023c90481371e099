package dev.crmkit.examples.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The pages' files, read from the class path under {@value #ROOT}: {@code /} is {@code index.html},
 * {@code /integrations/new} is {@code edit.html}, {@code /integrations/{id}} is {@code detail.html}
 * (the page reads the id from its own URL and asks the API, which checks the tenant), and {@code
 * /assets/...} the files under {@code assets/}. Files of an unknown type, and names with anything but
 * letters, digits, {@code - _ .} and single {@code /}, are not served.
 */
final class StaticPages {
  /** Where the pages live on the class path. */
  static final String ROOT = "/dev/crmkit/examples/server/pages/";

  private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "json", "application/json; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "woff2", "font/woff2");

  private StaticPages() {}

  /** The page routes. */
  static List<Route> routes() {
    return List.of(
        page("/", "index.html"),
        page("/integrations/new", "edit.html"),
        page("/integrations/{page}", "detail.html"),
        new Route("GET", "/assets/{path*}", Route.Access.PUBLIC, 0, c -> serve(c, "assets/" + c.param("path"))));
  }

  private static Route page(String pattern, String file) {
    return new Route("GET", pattern, Route.Access.PUBLIC, 0, c -> serve(c, file));
  }

  private static void serve(Call c, String file) throws IOException {
    int dot = file.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(file.substring(dot + 1).toLowerCase(Locale.ROOT));
    if (type == null || !ASSET.matcher(file).matches() || file.contains("..")) {
      throw ApiError.notFound("no such file");
    }
    byte[] bytes;
    try (InputStream in = StaticPages.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw ApiError.notFound("no such file");
      }
      bytes = in.readAllBytes();
    }
    // Pages change with each build; revalidating is cheap on loopback and never serves a stale script.
    c.exchange().getResponseHeaders().set("Cache-Control", "no-cache");
    c.send(200, type, bytes);
  }
}
