package dev.crmkit.http.internal;

import dev.crmkit.spi.Secrets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** Hides credential values from log lines and {@code toString()}. */
public final class Redaction {
  /** What a hidden value is shown as. */
  public static final String MASK = Secrets.MASK;

  private static final Set<String> SECRET_HEADERS = Set.of(
      "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-api-token",
      "x-shopify-access-token");

  private Redaction() {}

  /** True when a header or parameter of this name carries a credential. */
  public static boolean isSecret(String name) {
    return SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) || Secrets.isSecretName(name);
  }

  /** {@code {name=value, secret=***}}. */
  public static String headers(Map<String, String> headers) {
    StringJoiner j = new StringJoiner(", ", "{", "}");
    headers.forEach((k, v) -> j.add(k + '=' + (isSecret(k) ? MASK : v)));
    return j.toString();
  }

  /** {@code ?a=1&api_token=***}, or empty when there are no parameters. */
  public static String query(Map<String, String> query) {
    if (query.isEmpty()) {
      return "";
    }
    StringJoiner j = new StringJoiner("&", "?", "");
    query.forEach((k, v) -> j.add(k + '=' + (isSecret(k) ? MASK : v)));
    return j.toString();
  }
}
