package dev.crmkit;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Implemented by a {@link CustomerSystem} that can store a client-generated idempotency
 * key on a record it creates and find the record by that key later. A sync engine ({@code dev.crmkit.sync.SyncEngine} in crm-sync) whose
 * remote system implements it makes the remote creates of records without an email (which no
 * back end can match them by) idempotent across a crash: before the create is sent, the engine
 * stores a pending mapping that holds the key; a run that resumes after the create reached the
 * remote system but before its mapping was stored finds the record by the key and links it
 * instead of creating it again. Without this interface such a crash can leave a duplicate.
 *
 * <p>Keys are 1 to 64 characters of {@code [A-Za-z0-9-]}. Implementations are thread-safe.
 */
public interface IdempotentCreates {

  /**
   * The draft with the key attached, so that the record it creates carries the key.
   *
   * @param draft the record to create; not null
   * @param idempotencyKey the key; not null
   * @return a draft equal to {@code draft} plus the key
   */
  CustomerDraft withIdempotencyKey(CustomerDraft draft, String idempotencyKey);

  /**
   * The key a record was created with.
   *
   * @param customer a record read from this system; not null
   * @return the key, or empty when the record was created without one
   */
  Optional<String> idempotencyKey(Customer customer);

  /**
   * The live records created with any of the keys.
   *
   * @param idempotencyKeys the keys; 0 to 1000
   * @return the records by key; keys no live record carries are absent
   * @throws dev.crmkit.error.CrmException as the system's reads throw
   */
  Map<String, Customer> findByIdempotencyKeys(Collection<String> idempotencyKeys);
}
