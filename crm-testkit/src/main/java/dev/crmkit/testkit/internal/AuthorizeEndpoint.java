package dev.crmkit.testkit.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import mockwebserver3.MockResponse;
import okhttp3.HttpUrl;
import okio.ByteString;

/**
 * An emulated OAuth 2.0 authorization endpoint (RFC 6749 section 4.1.1): {@code GET} checks the
 * request and shows the {@link ConsentPage}; the page's form {@code POST}s the same fields back with
 * the {@link ConsentPage#DECISION}, answered by a 302 to the redirect URI with {@code code} and
 * {@code state} ("Allow") or {@code error=access_denied} ("Deny"). A request that names an unknown
 * client or no usable redirect URI gets an error page, never a redirect (RFC 6749 section 4.1.2.1).
 * With PKCE, a {@code code_challenge} must come with {@code code_challenge_method=S256} and is bound to
 * the code. Thread-safe when the code issuer is.
 */
public final class AuthorizeEndpoint {
  /** Issues a single-use code bound to a redirect URI and, with PKCE, a challenge. */
  @FunctionalInterface
  public interface CodeIssuer {
    /**
     * @param redirectUri the request's redirect URI
     * @param codeChallenge the S256 challenge, or null
     * @return the code
     */
    String issue(String redirectUri, String codeChallenge);
  }

  private static final List<String> FIELDS = List.of("response_type", "client_id", "redirect_uri", "scope",
      "optional_scope", "state", "code_challenge", "code_challenge_method");

  private final String vendor;
  private final String path;
  private final Predicate<String> knownClient;
  private final boolean requireScope;
  private final boolean requireResponseType;
  private final boolean pkce;
  private final CodeIssuer codes;

  /**
   * @param vendor the vendor's name on the page
   * @param path the endpoint's path, where the page posts to
   * @param knownClient whether a client id belongs to the emulated app
   * @param requireScope whether a request without {@code scope} is refused (HubSpot); otherwise the
   *     app's default scopes apply (Salesforce)
   * @param requireResponseType whether {@code response_type=code} must be given (Salesforce); otherwise
   *     it may be left out, but another value is refused
   * @param pkce whether {@code code_challenge} is read and bound to the code
   * @param codes issues the codes
   */
  public AuthorizeEndpoint(String vendor, String path, Predicate<String> knownClient, boolean requireScope,
      boolean requireResponseType, boolean pkce, CodeIssuer codes) {
    this.vendor = vendor;
    this.path = path;
    this.knownClient = knownClient;
    this.requireScope = requireScope;
    this.requireResponseType = requireResponseType;
    this.pkce = pkce;
    this.codes = codes;
  }

  /**
   * @param method the HTTP method
   * @param url the request URL (its query holds a GET's fields)
   * @param body the request body (a POST's form fields); null for none
   * @return the consent page, the redirect, or an error page
   */
  public MockResponse serve(String method, HttpUrl url, ByteString body) {
    boolean post = method.equals("POST");
    if (!post && !method.equals("GET")) {
      return ConsentPage.error(405, "method not allowed: " + method);
    }
    Map<String, String> given = post ? FormBody.fields(url, body) : FormBody.fields(url, null);
    String clientId = given.get("client_id");
    if (clientId == null || !knownClient.test(clientId)) {
      return ConsentPage.error(400, "invalid_client_id: client identifier invalid");
    }
    HttpUrl redirect = given.get("redirect_uri") == null ? null : HttpUrl.parse(given.get("redirect_uri"));
    if (redirect == null) {
      return ConsentPage.error(400, "redirect_uri_mismatch: redirect_uri must be an absolute http or https URL");
    }
    String state = given.get("state");
    // HubSpot documents no response_type (and ignores one); Salesforce requires code.
    if ((requireResponseType || given.containsKey("response_type")) && !"code".equals(given.get("response_type"))) {
      return error(redirect, "unsupported_response_type", "response type not supported", state);
    }
    if (requireScope && (given.get("scope") == null || given.get("scope").isBlank())) {
      return ConsentPage.error(400, "scope: the authorization URL must ask for at least one scope");
    }
    String challenge = pkce ? given.get("code_challenge") : null;
    if (challenge != null && !"S256".equals(given.get("code_challenge_method"))) {
      return error(redirect, "invalid_request", "code_challenge_method must be S256", state);
    }
    if (!post) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String name : FIELDS) {
        if (given.get(name) != null) {
          fields.put(name, given.get(name));
        }
      }
      String scope = given.getOrDefault("scope", "");
      List<String> scopes = scope.isBlank() ? List.of("(the app's default scopes)") : Arrays.asList(scope.split(" +"));
      return ConsentPage.page(vendor, clientId, scopes, path, fields);
    }
    if (!ConsentPage.ALLOW.equals(given.get(ConsentPage.DECISION))) {
      return error(redirect, "access_denied", "end-user denied authorization", state);
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("code", codes.issue(given.get("redirect_uri"), challenge));
    params.put("state", state);
    return ConsentPage.redirect(redirect, params);
  }

  private static MockResponse error(HttpUrl redirect, String error, String description, String state) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("error", error);
    params.put("error_description", description);
    params.put("state", state);
    return ConsentPage.redirect(redirect, params);
  }
}
