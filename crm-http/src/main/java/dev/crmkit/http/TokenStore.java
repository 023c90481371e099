package dev.crmkit.http;

/**
 * The host's callback that persists OAuth2 tokens. Called after a code exchange and after every
 * refresh, with the new token set (vendors such as Salesforce or HubSpot may rotate the refresh
 * token, and the old one stops working).
 *
 * <p>Called from the thread that did the refresh, while other callers of the same credential wait;
 * keep it short. An exception thrown here propagates to the caller that triggered the refresh; the
 * new tokens stay in use in memory.
 */
@FunctionalInterface
public interface TokenStore {
  /** @param tokens the new tokens; never {@code null} */
  void save(OAuth2Token tokens);
}
