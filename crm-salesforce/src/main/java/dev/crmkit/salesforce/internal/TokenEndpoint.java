package dev.crmkit.salesforce.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.ServerException;
import dev.crmkit.http.OAuth2Token;
import dev.crmkit.salesforce.SalesforceSession;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * {@code POST /services/oauth2/token} on a login host: sends a form, reads the token response, checks its
 * {@code signature} when the client secret is known, and maps OAuth errors ({@code {error,
 * error_description}}) to crmkit exceptions. Sent through OkHttp like every other Salesforce call: the
 * host's client when given (its proxy, interceptors and pools apply), on a derived client that follows no
 * redirect and gives up after {@link #TIMEOUT}. Thread-safe.
 *
 * @see <a href="https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm">Salesforce: OAuth web server flow</a>
 */
public final class TokenEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The most one token request may take, connecting and reading included. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpUrl tokenUrl;
  private final OkHttpClient client;

  /**
   * @param loginUrl the login host, such as {@code https://login.salesforce.com}, without a trailing slash
   * @param client the host's OkHttp client, whose pools, proxy and interceptors are shared; {@code null} for
   *     crmkit's own
   * @throws IllegalArgumentException when {@code loginUrl} is not an http(s) URL
   */
  public TokenEndpoint(String loginUrl, OkHttpClient client) {
    this.tokenUrl = HttpUrl.get(loginUrl + "/services/oauth2/token");
    // A token request is never redirected: a redirect would carry the secret or the assertion elsewhere.
    this.client = (client != null ? client : DefaultClient.INSTANCE).newBuilder().followRedirects(false)
        .followSslRedirects(false).connectTimeout(CONNECT_TIMEOUT).callTimeout(TIMEOUT).build();
  }

  /** crmkit's own client for token requests, made on first use. */
  private static final class DefaultClient {
    static final OkHttpClient INSTANCE = new OkHttpClient();
  }

  /**
   * @param form the form fields, in order
   * @param clientSecret the consumer secret, to check the response's signature; {@code null} skips the check
   * @param previousRefreshToken kept when the response has no refresh token (a refresh); {@code null} for none
   * @return the session
   * @throws AuthenticationException when Salesforce rejects the grant or client (400, 401, 403), or the
   *     response's signature does not match
   * @throws ServerException on a 5xx
   * @throws ApiConnectionException when the login host cannot be reached
   * @throws CrmException when the response is not a token response
   */
  public SalesforceSession request(Map<String, String> form, String clientSecret, String previousRefreshToken) {
    FormBody.Builder body = new FormBody.Builder(StandardCharsets.UTF_8);
    form.forEach(body::add);
    Request request = new Request.Builder().url(tokenUrl).header("Accept", "application/json").post(body.build())
        .build();
    int status;
    String text;
    try (Response response = client.newCall(request).execute()) {
      status = response.code();
      ResponseBody responseBody = response.body();
      text = responseBody == null ? "" : responseBody.string();
    } catch (InterruptedIOException e) {
      throw new ApiConnectionException("salesforce OAuth token request timed out or was interrupted: "
          + e.getClass().getSimpleName(), SalesforceApi.PROVIDER, 0, null, null, e);
    } catch (IOException e) {
      throw new ApiConnectionException("salesforce OAuth token endpoint unreachable: " + e.getClass().getSimpleName(),
          SalesforceApi.PROVIDER, 0, null, null, e);
    }
    JsonNode json;
    try {
      json = JSON.readTree(text);
    } catch (IOException e) {
      json = null;
    }
    if (status < 200 || status > 299) {
      String error = json == null ? null : text(json, "error");
      // error_description is Salesforce's fixed text (such as "expired access/refresh token"), never a credential.
      String description = json == null ? null : text(json, "error_description");
      String message = "salesforce OAuth token request rejected: HTTP " + status + (error == null ? "" : " " + error)
          + (description == null ? "" : " (" + cut(description) + ")");
      if (status >= 500) {
        throw new ServerException(message, SalesforceApi.PROVIDER, status, error, null, null);
      }
      throw new AuthenticationException(message, SalesforceApi.PROVIDER, status, error, null, null);
    }
    String access = json == null ? null : text(json, "access_token");
    String instance = json == null ? null : text(json, "instance_url");
    if (access == null || instance == null) {
      throw new CrmException("salesforce OAuth token response has no access_token or instance_url",
          SalesforceApi.PROVIDER, status, null, null, null);
    }
    String id = text(json, "id");
    String issued = text(json, "issued_at");
    String signature = text(json, "signature");
    if (clientSecret != null && signature != null && id != null && issued != null
        && !MessageDigest.isEqual(hmac(clientSecret, id + issued), signature.getBytes(StandardCharsets.US_ASCII))) {
      throw new AuthenticationException("salesforce OAuth token response signature does not match: not from "
          + "Salesforce, or the consumer secret differs", SalesforceApi.PROVIDER, status, "invalid_signature", null, null);
    }
    String refresh = text(json, "refresh_token");
    Instant issuedAt = issued != null && issued.matches("\\d{1,15}") ? Instant.ofEpochMilli(Long.parseLong(issued)) : null;
    OAuth2Token tokens = new OAuth2Token(access, refresh != null ? refresh : previousRefreshToken, null,
        text(json, "scope"));
    return new SalesforceSession(tokens, instance.replaceAll("/+$", ""), id, issuedAt);
  }

  private static byte[] hmac(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encode(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is in every Java runtime", e);
    }
  }

  private static String text(JsonNode json, String field) {
    JsonNode v = json.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }

  private static String cut(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "...";
  }
}
