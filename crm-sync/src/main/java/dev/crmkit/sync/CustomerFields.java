package dev.crmkit.sync;

import dev.crmkit.Channel;
import dev.crmkit.ContactPreferences;
import dev.crmkit.Customer;
import dev.crmkit.CustomerField;
import dev.crmkit.OptInStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Per-field reading, copying and three-way comparison of customers, for the conflict strategies. */
final class CustomerFields {

  /** Who changed a value since the base. */
  enum Change {
    /** Both sides hold the same value. */
    NONE,
    /** Only the local side moved away from the base. */
    LOCAL_ONLY,
    /** Only the remote side moved away from the base. */
    REMOTE_ONLY,
    /** Both moved, to different values; or there is no base and the values differ. */
    BOTH
  }

  private CustomerFields() {}

  /**
   * Three-way comparison of two values against a base value. {@code baseKnown} false means there is
   * no base snapshot at all: any difference is then a change on both sides.
   */
  static Change change(boolean baseKnown, Object base, Object local, Object remote) {
    if (Objects.equals(local, remote)) {
      return Change.NONE;
    }
    if (!baseKnown) {
      return Change.BOTH;
    }
    if (Objects.equals(local, base)) {
      return Change.REMOTE_ONLY;
    }
    return Objects.equals(remote, base) ? Change.LOCAL_ONLY : Change.BOTH;
  }

  /** The fields whose whole values changed on both sides to different values, in enum order. */
  static List<CustomerField> clashing(Customer base, Customer local, Customer remote) {
    List<CustomerField> out = new ArrayList<>();
    for (CustomerField f : CustomerField.values()) {
      Object b = base == null ? null : base.get(f);
      if (change(base != null, b, local.get(f), remote.get(f)) == Change.BOTH) {
        out.add(f);
      }
    }
    return List.copyOf(out);
  }

  /** The fields whose values differ between the two records, in enum order. */
  static List<CustomerField> differing(Customer a, Customer b) {
    List<CustomerField> out = new ArrayList<>();
    for (CustomerField f : CustomerField.values()) {
      if (!Objects.equals(a.get(f), b.get(f))) {
        out.add(f);
      }
    }
    return List.copyOf(out);
  }

  /** Copies one writable field from a record into a builder; the phone travels with its extension. */
  static void copy(Customer.Builder to, CustomerField field, Customer from) {
    switch (field) {
      case FIRST_NAME -> to.firstName(from.firstName());
      case LAST_NAME -> to.lastName(from.lastName());
      case EMAIL -> to.email(from.email());
      case PHONE -> to.phone(from.phone()).phoneExtension(from.phoneExtension());
      case COMPANY -> to.company(from.company());
      case PREFERRED_CHANNEL -> to.preferredChannel(from.preferredChannel());
      case LANGUAGE -> to.language(from.language());
      case SEGMENT -> to.segment(from.segment());
      case TAGS -> to.tags(from.tags());
      case ADDRESS -> to.address(from.address());
      case CONTACT_PREFERENCES -> to.contactPreferences(from.contactPreferences());
      case CUSTOM_FIELDS -> to.customFields(from.customFields());
      case LAST_CONTACT_AT -> to.lastContactAt(from.lastContactAt());
    }
  }

  /** The collection-valued field as a map of elements, or {@code null} for a single-valued field. */
  static ElementView<?, ?> elements(CustomerField field) {
    return switch (field) {
      case TAGS -> ElementView.TAGS;
      case CUSTOM_FIELDS -> ElementView.CUSTOM_FIELDS;
      case CONTACT_PREFERENCES -> ElementView.CONTACT_PREFERENCES;
      default -> null;
    };
  }

  /**
   * A collection-valued field seen as a map from element key to element value: a tag maps to
   * {@code TRUE}, a custom field name to its value, a channel to its opt-in status. An absent key is
   * an absent element.
   */
  static final class ElementView<K, V> {
    static final ElementView<String, Boolean> TAGS = new ElementView<>(
        c -> {
          Map<String, Boolean> m = new LinkedHashMap<>();
          c.tags().forEach(t -> m.put(t, Boolean.TRUE));
          return m;
        },
        (b, m) -> b.tags(new LinkedHashSet<>(m.keySet())));
    static final ElementView<String, String> CUSTOM_FIELDS = new ElementView<>(
        Customer::customFields, Customer.Builder::customFields);
    static final ElementView<Channel, OptInStatus> CONTACT_PREFERENCES = new ElementView<>(
        c -> c.contactPreferences().optIns(), (b, m) -> b.contactPreferences(new ContactPreferences(m)));

    private final Function<Customer, Map<K, V>> read;
    private final BiConsumer<Customer.Builder, Map<K, V>> write;

    private ElementView(Function<Customer, Map<K, V>> read, BiConsumer<Customer.Builder, Map<K, V>> write) {
      this.read = read;
      this.write = write;
    }

    Map<K, V> read(Customer c) {
      return read.apply(c);
    }

    void write(Customer.Builder b, Map<K, V> elements) {
      write.accept(b, elements);
    }

    /** Three-way merge per element; clashing elements are left out of the merged map. */
    ElementMerge<K, V> merge(Customer base, Customer local, Customer remote) {
      Map<K, V> b = base == null ? Map.of() : read(base);
      Map<K, V> l = read(local);
      Map<K, V> r = read(remote);
      Set<K> keys = new LinkedHashSet<>(l.keySet());
      keys.addAll(r.keySet());
      keys.addAll(b.keySet());
      Map<K, V> merged = new LinkedHashMap<>();
      Set<K> clashing = new LinkedHashSet<>();
      for (K k : keys) {
        V lv = l.get(k);
        V rv = r.get(k);
        V chosen;
        switch (change(base != null, b.get(k), lv, rv)) {
          case NONE, LOCAL_ONLY -> chosen = lv;
          case REMOTE_ONLY -> chosen = rv;
          default -> {
            clashing.add(k);
            chosen = null;
          }
        }
        if (chosen != null) {
          merged.put(k, chosen);
        }
      }
      return new ElementMerge<>(merged, clashing);
    }
  }

  /**
   * The outcome of an element-wise merge.
   *
   * @param merged elements decided without a clash (mutable, for the fallback to complete)
   * @param clashing keys changed differently on both sides
   */
  record ElementMerge<K, V>(Map<K, V> merged, Set<K> clashing) {}
}
