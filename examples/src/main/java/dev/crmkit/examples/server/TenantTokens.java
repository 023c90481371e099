package dev.crmkit.examples.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which tenant a bearer token belongs to: the example server's stand-in for a host's own login.
 * A host with sessions or an identity provider resolves the tenant there instead and passes it to
 * the same {@link dev.crmkit.integrations.IntegrationService} methods.
 *
 * <p>Only SHA-256 digests of the tokens are kept, and a presented token is compared with every
 * known digest by {@link MessageDigest#isEqual} without stopping at a match, so the time an answer
 * takes says nothing about how much of a token was right or which tenant it was close to.
 * Immutable and thread-safe; {@link #toString()} names how many tenants, never a token.
 */
public final class TenantTokens {
  /** The shortest token accepted: 32 characters. {@link #newToken()} makes 43. */
  public static final int MIN_TOKEN_LENGTH = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<Entry> entries;

  private record Entry(byte[] digest, String tenantId) {}

  private TenantTokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Tokens for tenants.
   *
   * @param tokenToTenant each token (at least {@link #MIN_TOKEN_LENGTH} characters, no whitespace)
   *     and the tenant id it stands for; several tokens may name one tenant; not null, not empty
   * @return the tokens
   * @throws NullPointerException naming {@code tokenToTenant} when it, a token or a tenant id is null
   * @throws IllegalArgumentException naming the tenant when its token is too short or holds whitespace,
   *     or when the map is empty (the token itself is never in the message)
   */
  public static TenantTokens of(Map<String, String> tokenToTenant) {
    Objects.requireNonNull(tokenToTenant, "tokenToTenant");
    if (tokenToTenant.isEmpty()) {
      throw new IllegalArgumentException("tokenToTenant must name at least one tenant");
    }
    List<Entry> entries = new ArrayList<>();
    new LinkedHashMap<>(tokenToTenant).forEach((token, tenant) -> {
      Objects.requireNonNull(tenant, "tokenToTenant: tenant id");
      Objects.requireNonNull(token, "tokenToTenant: token of tenant '" + tenant + "'");
      if (token.length() < MIN_TOKEN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("the token of tenant '" + tenant + "' must be at least " + MIN_TOKEN_LENGTH
            + " characters without whitespace");
      }
      if (tenant.isBlank()) {
        throw new IllegalArgumentException("tokenToTenant: a tenant id is blank");
      }
      entries.add(new Entry(digest(token), tenant));
    });
    return new TenantTokens(entries);
  }

  /** A fresh random token: 32 bytes from {@link SecureRandom}, base64url without padding (43 characters). */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The tenant a presented token belongs to.
   *
   * @param presented the token from the {@code Authorization: Bearer} header; null or blank finds none
   * @return the tenant id, or empty when the token is unknown
   */
  public Optional<String> tenantOf(String presented) {
    if (presented == null || presented.isBlank()) {
      return Optional.empty();
    }
    byte[] digest = digest(presented);
    String found = null;
    for (Entry e : entries) {
      // No early exit: every digest is compared whatever matched before.
      if (MessageDigest.isEqual(e.digest(), digest) && found == null) {
        found = e.tenantId();
      }
    }
    return Optional.ofNullable(found);
  }

  /** The tenant ids these tokens stand for, in the order given, once each. */
  public List<String> tenants() {
    return entries.stream().map(Entry::tenantId).distinct().toList();
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "TenantTokens[" + tenants().size() + " tenants, tokens redacted]";
  }
}
