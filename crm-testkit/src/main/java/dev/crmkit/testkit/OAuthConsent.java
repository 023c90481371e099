package dev.crmkit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Clicks through an emulator's OAuth consent page the way a browser does: fetches the authorization
 * URL, reads the page's form (its {@code action} and hidden fields), posts it with the "Allow" or
 * "Deny" button's value, and returns where the emulator redirects to, without following it. For tests
 * of a host's connect flow against the HubSpot and Salesforce emulators. Thread-safe.
 */
public final class OAuthConsent {
  private static final Pattern FORM = Pattern.compile("<form id=\"consent\" method=\"post\" action=\"([^\"]*)\">");
  private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
  private static final Pattern BUTTON = Pattern.compile(
      "<button type=\"submit\" id=\"(allow|deny)\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

  private final OkHttpClient client;

  private OAuthConsent(OkHttpClient client) {
    this.client = client.newBuilder().followRedirects(false).followSslRedirects(false).build();
  }

  /**
   * @param client the client to browse with (its pools are shared); redirects are never followed
   * @return a clicker
   * @throws NullPointerException naming {@code client} when it is null
   */
  public static OAuthConsent using(OkHttpClient client) {
    return new OAuthConsent(Objects.requireNonNull(client, "client"));
  }

  /**
   * Opens the consent page and presses "Allow".
   *
   * @param authorizationUrl the URL a host sends the browser to
   * @return the redirect's target: the app's redirect URI with {@code code} and {@code state}
   * @throws IllegalStateException when the page is not a consent page (an error page: its status and
   *     text are in the message) or the post is not answered by a redirect
   */
  public HttpUrl allow(URI authorizationUrl) {
    return decide(authorizationUrl, "allow");
  }

  /**
   * Opens the consent page and presses "Deny".
   *
   * @param authorizationUrl the URL a host sends the browser to
   * @return the redirect's target: the app's redirect URI with {@code error=access_denied}
   * @throws IllegalStateException as {@link #allow}
   */
  public HttpUrl deny(URI authorizationUrl) {
    return decide(authorizationUrl, "deny");
  }

  private HttpUrl decide(URI authorizationUrl, String button) {
    HttpUrl page = HttpUrl.get(authorizationUrl);
    String html;
    try (Response response = client.newCall(new Request.Builder().url(page).get().build()).execute()) {
      html = response.body() == null ? "" : response.body().string();
      if (response.code() == 302) {
        return page.resolve(response.header("Location"));
      }
      if (response.code() != 200) {
        throw new IllegalStateException("consent page answered HTTP " + response.code() + ": " + text(html));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher form = FORM.matcher(html);
    if (!form.find()) {
      throw new IllegalStateException("no consent form on the page: " + text(html));
    }
    FormBody.Builder body = new FormBody.Builder();
    Matcher hidden = HIDDEN.matcher(html);
    while (hidden.find()) {
      body.add(unescape(hidden.group(1)), unescape(hidden.group(2)));
    }
    Map<String, String[]> buttons = new LinkedHashMap<>();
    Matcher b = BUTTON.matcher(html);
    while (b.find()) {
      buttons.put(b.group(1), new String[] {unescape(b.group(2)), unescape(b.group(3))});
    }
    String[] pressed = buttons.get(button);
    if (pressed == null) {
      throw new IllegalStateException("no '" + button + "' button on the consent page");
    }
    body.add(pressed[0], pressed[1]);
    HttpUrl action = page.resolve(unescape(form.group(1)));
    try (Response response = client.newCall(new Request.Builder().url(action).post(body.build()).build()).execute()) {
      String location = response.header("Location");
      if (response.code() != 302 || location == null) {
        throw new IllegalStateException("consent post answered HTTP " + response.code() + ": "
            + text(response.body() == null ? "" : response.body().string()));
      }
      return action.resolve(location);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(String html) {
    String t = html.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
    return t.length() <= 300 ? t : t.substring(0, 300) + "...";
  }

  private static String unescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&amp;", "&");
  }
}
