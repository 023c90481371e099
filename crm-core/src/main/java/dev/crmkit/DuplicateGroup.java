package dev.crmkit;

import java.util.List;

/**
 * Customers that look like one person.
 *
 * @param reason which key they share: {@code "email"}, {@code "phone"} or {@code "name"}
 * @param key the shared key (a loose email or phone key, or a name-and-company key)
 * @param customers two or more live customers, oldest first; the first is the suggested survivor
 */
public record DuplicateGroup(String reason, String key, List<Customer> customers) {
  public DuplicateGroup {
    customers = List.copyOf(customers);
  }
}
