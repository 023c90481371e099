package dev.crmkit.actions;

import dev.crmkit.Money;
import dev.crmkit.error.FieldError;
import dev.crmkit.spi.TenantIds;
import dev.crmkit.spi.Validation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The checks every event record shares. */
final class Events {
  /** Longest free text of an event (message text, notes, summary): {@value}, an activity description's limit. */
  static final int MAX_LONG_TEXT = Validation.MAX_LONG_TEXT;

  private Events() {}

  static void common(String tenantId, String eventId, CustomerRef customer, Instant occurredAt,
      List<FieldError> errors) {
    String problem = TenantIds.problem(tenantId);
    if (problem != null) {
      errors.add(new FieldError("tenantId", TenantIds.printable(tenantId), problem));
    }
    Validation.require(eventId, "eventId", HostEvent.MAX_EVENT_ID, errors);
    if (customer == null) {
      errors.add(new FieldError("customer", null, "an event needs a customer reference"));
    }
    requireInstant(occurredAt, "occurredAt", errors);
  }

  static void requireInstant(Instant t, String field, List<FieldError> errors) {
    if (t == null) {
      errors.add(new FieldError(field, null, "required"));
    } else {
      Validation.instant(t, field, errors);
    }
  }

  /** A duration of zero up to {@code max}; {@code null} passes unless {@code required}. */
  static void duration(Duration d, String field, boolean required, Duration max, List<FieldError> errors) {
    if (d == null) {
      if (required) {
        errors.add(new FieldError(field, null, "required"));
      }
    } else if (d.isNegative() || d.compareTo(max) > 0) {
      errors.add(new FieldError(field, d.toString(), "must lie between PT0S and " + max));
    }
  }

  /** A non-negative amount an order or deal column holds; {@code null} passes. */
  static void amount(Money m, String field, List<FieldError> errors) {
    if (m == null) {
      return;
    }
    if (m.amount().compareTo(BigDecimal.ZERO) < 0) {
      errors.add(new FieldError(field, Validation.abbreviate(m.toString()), "must not be negative"));
    } else {
      Validation.amount(m, field, errors);
    }
  }

  static void required(Object v, String field, List<FieldError> errors) {
    if (v == null) {
      errors.add(new FieldError(field, null, "required"));
    }
  }
}
