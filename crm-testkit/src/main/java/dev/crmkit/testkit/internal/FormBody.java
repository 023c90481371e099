package dev.crmkit.testkit.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import okio.ByteString;

/** Reads {@code application/x-www-form-urlencoded} fields, as OAuth token endpoints receive them. */
public final class FormBody {
  private FormBody() {}

  /**
   * @param url the request URL; its query parameters count as fields too
   * @param rawBody the request body; null or empty for none
   * @return the fields by name; a body field wins over a query parameter of the same name
   */
  public static Map<String, String> fields(HttpUrl url, ByteString rawBody) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String name : url.queryParameterNames()) {
      form.put(name, url.queryParameter(name));
    }
    if (rawBody != null && rawBody.size() > 0) {
      for (String pair : rawBody.utf8().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return form;
  }
}
