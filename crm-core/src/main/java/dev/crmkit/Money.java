package dev.crmkit;

import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import java.math.BigDecimal;
import java.util.Currency;

/**
 * An amount of money in one currency. Amounts are exact ({@link BigDecimal}), never {@code double}.
 *
 * <p>Any amount and scale can be held; a system stores what it can and rejects the rest with a
 * {@link ValidationException} (an {@link OrderDraft}'s amount, for one, has at most 15 digits before
 * the point and 4 after it).
 *
 * @param amount the amount; not null
 * @param currency the ISO 4217 currency; not null
 */
public record Money(BigDecimal amount, Currency currency) {
  /** @throws ValidationException naming {@code amount} or {@code currency} when null */
  public Money {
    if (amount == null) {
      throw ValidationException.of("amount", null, "an amount of money needs a number");
    }
    if (currency == null) {
      throw ValidationException.of("currency", null, "an amount of money needs a currency");
    }
  }

  /**
   * Parses an amount and an ISO 4217 code.
   *
   * @throws ValidationException naming {@code amount} or {@code currency} when either is malformed
   */
  public static Money of(String amount, String currencyCode) {
    BigDecimal value;
    try {
      value = new BigDecimal(amount.trim());
    } catch (RuntimeException e) {
      throw ValidationException.of("amount", Validation.abbreviate(amount), "not a decimal number");
    }
    return new Money(value, currency(currencyCode));
  }

  /** The amount zero in the given currency. */
  public static Money zero(Currency currency) {
    return new Money(BigDecimal.ZERO, currency);
  }

  /**
   * Adds an amount of the same currency.
   *
   * @throws ValidationException naming {@code currency} when the currencies differ
   */
  public Money plus(Money other) {
    if (!currency.equals(other.currency)) {
      throw ValidationException.of(
          "currency", other.currency.getCurrencyCode(), "does not match " + currency.getCurrencyCode());
    }
    return new Money(amount.add(other.amount), currency);
  }

  /**
   * Looks up an ISO 4217 currency code.
   *
   * @throws ValidationException naming {@code currency} when the code is unknown
   */
  public static Currency currency(String code) {
    try {
      return Currency.getInstance(code == null ? "" : code.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ValidationException.of("currency", Validation.abbreviate(code), "not an ISO 4217 currency code");
    }
  }

  @Override
  public String toString() {
    return amount.toPlainString() + " " + currency.getCurrencyCode();
  }
}
