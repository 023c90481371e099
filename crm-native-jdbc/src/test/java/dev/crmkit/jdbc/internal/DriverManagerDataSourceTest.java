package dev.crmkit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DriverManagerDataSourceTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "jdbc:postgresql://db:5432/crm?user=app&password=s3cret | DriverManagerDataSource{jdbc:postgresql://db:5432/crm}",
      "jdbc:mariadb://app:s3cret@db:3306/crm | DriverManagerDataSource{jdbc:mariadb://***@db:3306/crm}",
      "jdbc:h2:file:/data/crm;USER=sa;PASSWORD=s3cret | DriverManagerDataSource{jdbc:h2:file:/data/crm}",
  })
  void toStringShowsTheDatabaseButNoCredential(String url, String shown) {
    DriverManagerDataSource ds = new DriverManagerDataSource(url, "app", "s3cret");

    assertThat(ds.toString()).isEqualTo(shown).doesNotContain("s3cret");
  }
}
