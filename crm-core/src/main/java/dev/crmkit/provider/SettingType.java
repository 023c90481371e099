package dev.crmkit.provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;

/**
 * The type of a setting's value. Every value is given as text in a {@link dev.crmkit.TenantConfig};
 * the type says which texts are valid, so the integrations layer can pick a form input and
 * {@link ProviderDescriptor#validate} can refuse a bad value before a provider sees it. Leading
 * and trailing whitespace is ignored by every type but {@link #STRING} and {@link #PATH}.
 */
public enum SettingType {
  /** Any text, such as a JDBC URL or a HubSpot property name. */
  STRING("text"),
  /** A whole number above 0 that fits an {@code int}, such as {@code 100}. */
  POSITIVE_INTEGER("a whole number above 0"),
  /** {@code true} or {@code false}, in any case. */
  BOOLEAN("true or false"),
  /** An absolute {@code http} or {@code https} URL with a host, such as {@code https://api.hubapi.com}. */
  HTTP_URL("an http(s) URL"),
  /** A time zone id that {@link ZoneId#of(String)} knows, such as {@code America/New_York} or {@code UTC}. */
  TIME_ZONE("a time zone id such as 'America/New_York'"),
  /** Two letters naming an ISO 3166-1 region, such as {@code US} or {@code de}. */
  REGION("an ISO 3166-1 alpha-2 region such as 'US'"),
  /** A file system path of this machine, such as {@code /var/lib/acme/customers.csv}. */
  PATH("a file path");

  private final String description;

  SettingType(String description) {
    this.description = description;
  }

  /** What a valid value looks like, in words, for messages and forms; such as {@code "a whole number above 0"}. */
  public String description() {
    return description;
  }

  /**
   * Whether {@code value} is a valid value of this type.
   *
   * @param value the text as given; {@code null} is never valid
   */
  public boolean accepts(String value) {
    if (value == null) {
      return false;
    }
    String v = value.strip();
    return switch (this) {
      case STRING -> true;
      case PATH -> path(value);
      case POSITIVE_INTEGER -> positiveInt(v);
      case BOOLEAN -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
      case HTTP_URL -> httpUrl(v);
      case TIME_ZONE -> zone(v);
      case REGION -> v.length() == 2 && v.chars().allMatch(c -> c < 128 && Character.isLetter(c));
    };
  }

  private static boolean positiveInt(String v) {
    try {
      return Integer.parseInt(v) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean httpUrl(String v) {
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean zone(String v) {
    try {
      ZoneId.of(v);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static boolean path(String v) {
    if (v.isBlank()) {
      return false;
    }
    try {
      Path.of(v);
      return true;
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
