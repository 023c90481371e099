package dev.crmkit.webhook;

import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Secrets;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An incoming webhook call as the host's HTTP server received it, before anything was parsed: the
 * method, the full URL, the headers, the raw body bytes and the receive time. Built with {@link
 * #builder()}; immutable and thread-safe.
 *
 * <p>Signatures are computed over the exact bytes the vendor sent, so hand over the raw body, not a
 * re-serialized one, and the URL exactly as the vendor called it (scheme, host, path and query in
 * their original order).
 *
 * <p>Header names are matched case-insensitively. {@link #toString()} redacts the values of
 * signature, authorization, cookie and other secret-named headers, and of secret-named query
 * parameters in the URL ({@code token}, {@code access_token}, {@code key}, {@code api_key}, {@code
 * secret}, {@code signature}, {@code sig}, {@code password}, …).
 */
public final class WebhookRequest {
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
  private static final String REDACTED = "redacted";

  private final String method;
  private final String url;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final Instant receivedAt;
  private final InetAddress remoteAddress;

  private WebhookRequest(Builder b) {
    this.method = b.method;
    this.url = b.url;
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    b.headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    this.headers = Collections.unmodifiableMap(copy);
    this.body = b.body.clone();
    this.receivedAt = b.receivedAt;
    this.remoteAddress = b.remoteAddress;
  }

  /** A builder with no parts set and an empty body. */
  public static Builder builder() {
    return new Builder();
  }

  /** The HTTP method in upper case, such as {@code "POST"}; never {@code null}. */
  public String method() {
    return method;
  }

  /** The full URL the vendor called, such as {@code "https://host.example/hooks/hubspot?x=1"}; never {@code null}. */
  public String url() {
    return url;
  }

  /**
   * All headers: names matched case-insensitively (a lookup of {@code "x-hubspot-signature"} finds
   * {@code "X-HubSpot-Signature"}), each with its values in arrival order. Unmodifiable; never {@code
   * null}.
   */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * The first value of a header.
   *
   * @param name the header name, any case
   * @return the first value, or empty when the header is absent
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** A copy of the raw body bytes; empty (never {@code null}) when the call had no body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8 (malformed bytes become U+FFFD); empty when there is no body. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Length of the raw body in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** When the host received the call; never {@code null}. */
  public Instant receivedAt() {
    return receivedAt;
  }

  /**
   * The address the call came from (the TCP peer, or the client address a trusted proxy of the host
   * reported), for handlers that check senders against the vendor's published ranges, such as
   * Salesforce's outbound messages.
   *
   * @return the address, or empty when the host did not give one
   */
  public Optional<InetAddress> remoteAddress() {
    return Optional.ofNullable(remoteAddress);
  }

  /**
   * Method, URL (secret query parameters redacted), headers (secret ones redacted), body length and
   * receive time; never the body.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("WebhookRequest{").append(method).append(' ').append(Secrets.redactUrl(url))
        .append(", headers={");
    String sep = "";
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      sb.append(sep).append(e.getKey()).append('=').append(secretHeader(e.getKey()) ? "[" + REDACTED + "]" : e.getValue());
      sep = ", ";
    }
    return sb.append("}, body=").append(body.length).append(" bytes, receivedAt=").append(receivedAt)
        .append(remoteAddress == null ? "" : ", remoteAddress=" + remoteAddress.getHostAddress()).append('}').toString();
  }

  private static boolean secretHeader(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return Secrets.isSecretName(n) || n.contains("authorization") || n.contains("cookie");
  }

  /** Collects the parts of a {@link WebhookRequest}; not thread-safe. */
  public static final class Builder {
    private String method;
    private String url;
    private final TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] body = new byte[0];
    private Instant receivedAt;
    private InetAddress remoteAddress;

    private Builder() {}

    /**
     * @param method the HTTP method, such as {@code "POST"}; any case, stored upper-cased; required
     * @return this builder
     * @throws ValidationException when blank or not a bare token of letters
     */
    public Builder method(String method) {
      String m = method == null ? null : method.strip().toUpperCase(Locale.ROOT);
      if (m == null || !METHOD.matcher(m).matches()) {
        throw ValidationException.of("method", method, "not an HTTP method such as 'POST'");
      }
      this.method = m;
      return this;
    }

    /**
     * @param url the full URL the vendor called, with scheme {@code http} or {@code https}, host,
     *     path and query exactly as received; required
     * @return this builder
     * @throws ValidationException when blank, not a URI, relative, or not http(s)
     */
    public Builder url(String url) {
      if (url == null || url.isBlank()) {
        throw ValidationException.of("url", url, "a webhook request needs the full URL it was sent to");
      }
      try {
        URI uri = new URI(url);
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || uri.getHost() == null
            || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
          throw ValidationException.of("url", url, "must be an absolute http or https URL with a host");
        }
      } catch (URISyntaxException e) {
        throw ValidationException.of("url", url, "not a URI: " + e.getReason());
      }
      this.url = url;
      return this;
    }

    /**
     * Adds one header value; repeated calls with the same name (any case) keep every value in order.
     *
     * @param name the header name; not blank
     * @param value the value; not {@code null}
     * @return this builder
     * @throws ValidationException when the name is blank or the value is {@code null}
     */
    public Builder header(String name, String value) {
      if (name == null || name.isBlank()) {
        throw ValidationException.of("headers", name, "a header name must not be blank");
      }
      if (value == null) {
        throw ValidationException.of("headers." + name, null, "a header value must not be null");
      }
      headers.computeIfAbsent(name.strip(), k -> new ArrayList<>()).add(value);
      return this;
    }

    /**
     * Adds every header of a map, as {@link #header(String, String)} does for each value.
     *
     * @param headers header names to their values; not {@code null}
     * @return this builder
     * @throws ValidationException naming the first bad name or value
     */
    public Builder headers(Map<String, ? extends List<String>> headers) {
      if (headers == null) {
        throw ValidationException.of("headers", null, "must not be null");
      }
      headers.forEach((name, values) -> {
        if (values == null) {
          throw ValidationException.of("headers." + name, null, "a header needs a list of values");
        }
        values.forEach(v -> header(name, v));
      });
      return this;
    }

    /**
     * @param body the raw body bytes, copied; {@code null} means no body. Default: empty.
     * @return this builder
     */
    public Builder body(byte[] body) {
      this.body = body == null ? new byte[0] : body.clone();
      return this;
    }

    /**
     * @param body the body as text, encoded as UTF-8; {@code null} means no body. Prefer {@link
     *     #body(byte[])} with the bytes as received.
     * @return this builder
     */
    public Builder body(String body) {
      this.body = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /**
     * @param receivedAt when the host received the call; required
     * @return this builder
     */
    public Builder receivedAt(Instant receivedAt) {
      this.receivedAt = receivedAt;
      return this;
    }

    /**
     * @param remoteAddress the address the call came from, as an IPv4 or IPv6 literal such as {@code
     *     "13.108.0.10"} or {@code "2001:db8::1"} (an IPv6 literal may be in brackets); never resolved
     *     through DNS; {@code null} for unknown. Default: unknown. Take the TCP peer address, or the
     *     client address reported by a proxy the host trusts, never a header anyone can set.
     * @return this builder
     * @throws ValidationException naming {@code remoteAddress} when not an IP address literal
     */
    public Builder remoteAddress(String remoteAddress) {
      if (remoteAddress == null) {
        this.remoteAddress = null;
        return this;
      }
      String a = remoteAddress.strip();
      if (a.startsWith("[") && a.endsWith("]")) {
        a = a.substring(1, a.length() - 1);
      }
      this.remoteAddress = ipLiteral(a);
      if (this.remoteAddress == null) {
        throw ValidationException.of("remoteAddress", remoteAddress, "not an IPv4 or IPv6 address literal");
      }
      return this;
    }

    // Parsed here, not by InetAddress.getByName alone, which looks a malformed IPv4 literal up in DNS.
    private static InetAddress ipLiteral(String a) {
      try {
        if (a.contains(":")) {
          // With a colon, InetAddress parses an IPv6 literal or fails; it never resolves.
          return a.matches("[0-9A-Fa-f.:]{2,45}") ? InetAddress.getByName(a) : null;
        }
        String[] parts = a.split("\\.", -1);
        if (parts.length != 4) {
          return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          if (!parts[i].matches("\\d{1,3}") || Integer.parseInt(parts[i]) > 255) {
            return null;
          }
          bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return InetAddress.getByAddress(bytes);
      } catch (UnknownHostException e) {
        return null;
      }
    }

    /**
     * @param remoteAddress the address the call came from; {@code null} for unknown. Default: unknown.
     * @return this builder
     */
    public Builder remoteAddress(InetAddress remoteAddress) {
      this.remoteAddress = remoteAddress;
      return this;
    }

    /**
     * @return the request
     * @throws ValidationException naming the first missing part (method, url, receivedAt)
     */
    public WebhookRequest build() {
      if (method == null) {
        throw ValidationException.of("method", null, "a webhook request needs a method");
      }
      if (url == null) {
        throw ValidationException.of("url", null, "a webhook request needs the full URL it was sent to");
      }
      if (receivedAt == null) {
        throw ValidationException.of("receivedAt", null, "a webhook request needs the time it was received");
      }
      return new WebhookRequest(this);
    }
  }
}
