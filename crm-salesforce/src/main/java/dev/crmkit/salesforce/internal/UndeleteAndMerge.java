package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.MergeResult;
import dev.crmkit.PageRequest;
import dev.crmkit.Segment;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Restore and merge of customers through the partner SOAP API ({@link SoapCalls}): Salesforce's REST API has
 * neither. Restore checks crmkit's email and phone rule first, as create does, under the org's locks; merge
 * sends the survivor's missing values in the MergeRequest's {@code masterRecord}, since Salesforce's merge keeps
 * the master's values and takes none from the merged record by itself. Thread-safe.
 */
public final class UndeleteAndMerge {
  /** Codes of an UndeleteResult meaning there is nothing in the recycle bin to restore. */
  private static final Set<String> NOTHING_TO_RESTORE = Set.of("UNDELETE_FAILED", "ENTITY_IS_DELETED", "NOT_FOUND",
      "INVALID_ID_FIELD", "INVALID_CROSS_REFERENCE_KEY", "MALFORMED_ID");
  private static final Set<String> ACTIVITY_PREFIXES = Set.of("00T", "00U");

  private final ContactReader reader;
  private final ContactWriter writer;
  private final OrgLocks locks;
  private final SoapCalls soap;

  private final Notes notes;

  public UndeleteAndMerge(ContactReader reader, ContactWriter writer, OrgLocks locks, SoapCalls soap, Notes notes) {
    this.notes = notes;
    this.reader = reader;
    this.writer = writer;
    this.locks = locks;
    this.soap = soap;
  }

  /**
   * SOAP {@code undelete} of a customer in the recycle bin, after checking that no live customer took its email
   * or phone meanwhile. A live customer is returned as it is (a merged-away id reads as its survivor).
   *
   * @throws NotFoundException when no customer has the id, or Salesforce has no such record in the recycle bin
   *     (emptied, or past its 15 days)
   * @throws dev.crmkit.error.ConflictException naming {@code email} or {@code phone} and the live holder
   */
  public Customer restore(String id) {
    if (id == null) {
      throw ValidationException.of("id", null, "must not be null");
    }
    Customer current = reader.get(id).orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "customer", id));
    if (!current.isDeleted()) {
      return current;
    }
    return locks.locked(writer.lockKeys(current.email(), current.phone()), () -> {
      writer.checkUnique(current.id(), current.email(), current.phone());
      SoapCalls.Result result = soap.undelete(List.of(current.id())).get(0);
      if (!result.success()) {
        throw restoreError(current.id(), result.errors());
      }
      return reader.get(current.id()).orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "customer", id));
    });
  }

  private static CrmException restoreError(String id, List<Map<String, Object>> errors) {
    Map<String, Object> first = errors.isEmpty() ? Map.of("statusCode", "UNKNOWN") : errors.get(0);
    Object code = first.get("statusCode");
    if (NOTHING_TO_RESTORE.contains(code)) {
      return new NotFoundException("customer '" + id + "' is not in the recycle bin: " + code + ": "
          + first.get("message"), SalesforceApi.PROVIDER, "customer", id, 404, String.valueOf(code), null);
    }
    return SalesforceErrors.itemError(first, "undelete of customer " + id);
  }

  /**
   * SOAP {@code merge}: the merged record's values fill the survivor's blank fields (first and last name,
   * company, email, phone, address, language, preferred channel, a prospect's segment, custom fields the
   * survivor lacks, a later last contact time), sent in {@code masterRecord}; Salesforce re-parents the merged
   * record's Tasks, Events, Notes, file links (Lightning notes) and opportunity roles and moves it to the recycle
   * bin with {@code MasterRecordId} set. Activities moved are the Tasks and Events among the MergeResult's
   * {@code updatedRelatedIds}; notes moved are the merged record's notes listed just before the merge (a note
   * added in between is moved but not counted).
   *
   * @throws ValidationException naming {@code survivorId} or {@code mergedId} when null, {@code mergedId} when both
   *     are one customer (or it was merged into the survivor already)
   * @throws NotFoundException when either customer does not exist or is deleted (Salesforce merges live records only)
   */
  public MergeResult merge(String survivorId, String mergedId) {
    if (survivorId == null) {
      throw ValidationException.of("survivorId", null, "must not be null");
    }
    if (mergedId == null) {
      throw ValidationException.of("mergedId", null, "must not be null");
    }
    Customer survivor = live(survivorId);
    Customer merged = live(mergedId);
    if (survivor.id().equals(merged.id())) {
      throw ValidationException.of("mergedId", mergedId, "is the same customer as survivorId '" + survivorId + "'");
    }
    CustomerUpdate fill = fill(survivor, merged);
    return locks.locked(writer.lockKeys(merged.email(), merged.phone()), () -> {
      // Salesforce moves the merged record's notes (classic Notes and the links of Lightning notes) to the
      // master but reports them only as related ids of several kinds; count them before the merge instead.
      long notesMoved = notesOf(merged.id());
      Map<String, Object> fields = fill == null ? Map.of() : new LinkedHashMap<>(writer.fields(fill));
      SoapCalls.Result result = soap.merge(reader.mapping().object(), survivor.id(), fields, List.of(merged.id()));
      if (!result.success()) {
        Map<String, Object> first = result.errors().isEmpty() ? Map.of("statusCode", "UNKNOWN") : result.errors().get(0);
        throw SalesforceErrors.itemError(first, "merge of customer " + merged.id() + " into " + survivor.id());
      }
      int activities = 0;
      for (String related : result.updatedRelatedIds()) {
        if (related != null && related.length() >= 3 && ACTIVITY_PREFIXES.contains(related.substring(0, 3))) {
          activities++;
        }
      }
      Customer united = reader.get(survivor.id())
          .orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "customer", survivorId));
      return new MergeResult(united, merged.id(), Math.toIntExact(notesMoved), activities);
    });
  }

  private Customer live(String id) {
    Customer c = reader.get(id).orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "customer", id));
    if (c.isDeleted()) {
      throw new NotFoundException("customer '" + id + "' is deleted", SalesforceApi.PROVIDER, "customer", id, 404,
          "ENTITY_IS_DELETED", null);
    }
    return c;
  }

  /** The merged customer's values for what the survivor lacks; null when there is nothing to take. */
  private static CustomerUpdate fill(Customer s, Customer m) {
    CustomerUpdate.Builder b = CustomerUpdate.builder();
    boolean any = false;
    if (s.firstName() == null && m.firstName() != null) {
      b.firstName(m.firstName());
      any = true;
    }
    if (s.lastName() == null && m.lastName() != null) {
      b.lastName(m.lastName());
      any = true;
    }
    if (s.company() == null && m.company() != null) {
      b.company(m.company());
      any = true;
    }
    if (s.email() == null && m.email() != null) {
      b.email(m.email());
      any = true;
    }
    if (s.phone() == null && m.phone() != null) {
      b.phone(m.phoneExtension() == null ? m.phone() : m.phone() + " ext. " + m.phoneExtension());
      any = true;
    }
    if ((s.address() == null || s.address().isEmpty()) && m.address() != null && !m.address().isEmpty()) {
      b.address(m.address());
      any = true;
    }
    if (s.language() == null && m.language() != null) {
      b.language(m.language());
      any = true;
    }
    if (s.preferredChannel() == null && m.preferredChannel() != null) {
      b.preferredChannel(m.preferredChannel());
      any = true;
    }
    if ((s.segment() == null || s.segment() == Segment.PROSPECT) && m.segment() != null
        && m.segment() != Segment.PROSPECT) {
      b.segment(m.segment());
      any = true;
    }
    if (m.lastContactAt() != null && (s.lastContactAt() == null || m.lastContactAt().isAfter(s.lastContactAt()))) {
      b.lastContactAt(m.lastContactAt());
      any = true;
    }
    if (m.customFields() != null && !m.customFields().isEmpty()) {
      Map<String, String> united = new LinkedHashMap<>(m.customFields());
      if (s.customFields() != null) {
        united.putAll(s.customFields());
      }
      if (s.customFields() == null || united.size() > s.customFields().size()) {
        b.customFields(united);
        any = true;
      }
    }
    return any ? b.build() : null;
  }

  /**
   * The customer's notes, or 0 where the org lacks the fields crmkit's notes need: a merge must not fail
   * for want of a notes setup (such an org holds no notes crmkit wrote).
   */
  private long notesOf(String customerId) {
    try {
      return notes.list(customerId, PageRequest.first(PageRequest.MAX_LIMIT)).stream().count();
    } catch (dev.crmkit.error.ConfigurationException notesNotSetUp) {
      return 0;
    }
  }
}
