package dev.crmkit.error;

/**
 * crmkit is configured wrongly: an unknown provider name, a missing or malformed setting. The
 * message lists what is known or required.
 */
public class ConfigurationException extends CrmException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong and what is known or required */
  public ConfigurationException(String message) {
    super(message);
  }

  /** @param message what is wrong; @param cause the underlying failure */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
