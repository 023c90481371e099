package dev.crmkit.testkit.internal;

import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import okhttp3.HttpUrl;

/**
 * The browser side of an emulated OAuth consent: a small HTML page whose "Allow" (and "Deny") button
 * posts the request's fields back to the authorize endpoint, and the 302 to the app's redirect URI
 * that answers the post. Enough for a real browser or an HTTP client to click through. Stateless.
 */
public final class ConsentPage {
  /** The form field that says which button was pressed: {@value #ALLOW} or {@value #DENY}. */
  public static final String DECISION = "decision";
  /** The value of {@value #DECISION} for "Allow". */
  public static final String ALLOW = "allow";
  /** The value of {@value #DECISION} for "Deny". */
  public static final String DENY = "deny";

  private ConsentPage() {}

  /**
   * @param vendor the vendor's name for the title, such as {@code "Salesforce"}
   * @param clientId the app asking
   * @param scopes the scopes asked for, shown as a list
   * @param action the path the form posts to, such as {@code /services/oauth2/authorize}
   * @param fields the hidden fields to post back (the request's parameters)
   * @return 200 {@code text/html} with a form {@code id="consent"} and buttons {@code id="allow"}, {@code id="deny"}
   */
  public static MockResponse page(String vendor, String clientId, List<String> scopes, String action,
      Map<String, String> fields) {
    StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
        .append(escape(vendor)).append(" - Allow access?</title></head><body>\n<h1>Allow access?</h1>\n<p>The app <b>")
        .append(escape(clientId)).append("</b> asks to reach your ").append(escape(vendor)).append(" account:</p>\n<ul>");
    for (String scope : scopes) {
      html.append("<li>").append(escape(scope)).append("</li>");
    }
    html.append("</ul>\n<form id=\"consent\" method=\"post\" action=\"").append(escape(action)).append("\">\n");
    fields.forEach((name, value) -> html.append("<input type=\"hidden\" name=\"").append(escape(name))
        .append("\" value=\"").append(escape(value)).append("\">\n"));
    html.append("<button type=\"submit\" id=\"allow\" name=\"").append(DECISION).append("\" value=\"").append(ALLOW)
        .append("\">Allow</button>\n<button type=\"submit\" id=\"deny\" name=\"").append(DECISION).append("\" value=\"")
        .append(DENY).append("\">Deny</button>\n</form>\n</body></html>\n");
    return html(200, html.toString());
  }

  /**
   * @param status the HTTP status, such as 400
   * @param message what is wrong, shown on the page
   * @return an HTML error page, as vendors show when the request cannot be trusted to redirect
   */
  public static MockResponse error(int status, String message) {
    return html(status, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Error</title></head><body>"
        + "<h1>error</h1><p id=\"error\">" + escape(message) + "</p></body></html>\n");
  }

  /**
   * @param redirectUri the app's redirect URI, absolute http(s)
   * @param params the query parameters to add, in order; a null value is left out
   * @return 302 to the redirect URI with the parameters
   */
  public static MockResponse redirect(HttpUrl redirectUri, Map<String, String> params) {
    HttpUrl.Builder location = redirectUri.newBuilder();
    params.forEach((k, v) -> {
      if (v != null) {
        location.addQueryParameter(k, v);
      }
    });
    return new MockResponse.Builder().code(302).setHeader("Location", location.build().toString())
        .setHeader("Cache-Control", "no-store").build();
  }

  private static MockResponse html(int status, String body) {
    return new MockResponse.Builder().code(status).setHeader("Content-Type", "text/html;charset=utf-8")
        .setHeader("Cache-Control", "no-store").setHeader("X-Frame-Options", "DENY").body(body).build();
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
