package dev.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ValidationException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void aHostTotalsOrdersStartingFromZeroInTheirCurrency() {
    Currency eur = Currency.getInstance("EUR");
    List<Money> orders = List.of(Money.of("19.90", "EUR"), Money.of("5.10", "EUR"));

    Money total = orders.stream().reduce(Money.zero(eur), Money::plus);

    assertThat(total.amount()).isEqualByComparingTo(new BigDecimal("25.00"));
    assertThat(total.currency()).isEqualTo(eur);
    assertThat(Money.zero(eur).amount()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThatThrownBy(() -> Money.zero(eur).plus(Money.of("1", "USD")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("currency");
  }
}
