package dev.crmkit.spi;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes credential-bearing names and hides their values in URLs, for {@code toString()} and
 * log lines. One rule for every module, so a name hidden in one place is hidden everywhere.
 */
public final class Secrets {
  /** What a hidden value is shown as. */
  public static final String MASK = "***";

  /** Short names that are secret only as a whole word: {@code key} is, {@code keyword} is not. */
  private static final Set<String> EXACT = Set.of("key", "sig", "pass", "pwd", "auth", "code", "credential");
  private static final String[] PARTS = {
      "token", "secret", "password", "passwd", "signature", "apikey", "api_key", "api-key", "private",
      "credential", "session"};
  /** {@code scheme://user:password@host}: the password part of the user info. */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?#;]*):([^@/?#]*)@");
  /** One {@code name=value} parameter after {@code ?}, {@code &} or {@code ;} (JDBC URL properties). */
  private static final Pattern PARAMETER = Pattern.compile("([?&;])([^=&;?#]+)=([^&;#]*)");

  private Secrets() {}

  /**
   * True when a parameter, setting or header of this name carries a credential: names containing
   * {@code token}, {@code secret}, {@code password}, {@code signature}, {@code apikey}/{@code
   * api_key}, and the bare names {@code key}, {@code sig}, {@code pwd}, {@code auth}, {@code code}.
   * Case-insensitive; {@code null} is not secret.
   */
  public static boolean isSecretName(String name) {
    if (name == null) {
      return false;
    }
    String n = name.strip().toLowerCase(Locale.ROOT);
    if (EXACT.contains(n)) {
      return true;
    }
    for (String part : PARTS) {
      if (n.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The text with the password of any {@code scheme://user:password@host} part and the value of every
   * secret-named {@code ?}/{@code &}/{@code ;} parameter replaced by {@link #MASK}. Text without
   * such parts is returned unchanged; {@code null} stays {@code null}.
   */
  public static String redactUrl(String text) {
    if (text == null || (text.indexOf('=') < 0 && text.indexOf('@') < 0)) {
      return text;
    }
    String s = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ':' + MASK + '@'));
    return PARAMETER.matcher(s).replaceAll(m -> Matcher.quoteReplacement(
        m.group(1) + m.group(2) + '=' + (isSecretName(decodedName(m.group(2))) ? MASK : m.group(3))));
  }

  /** A name as a server would read it, so {@code pass%77ord} is caught like {@code password}. */
  private static String decodedName(String name) {
    try {
      return java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return name;
    }
  }
}
