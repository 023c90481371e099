package dev.crmkit.webhook;

/** What a vendor says happened to a record in a {@link ChangeEvent}. */
public enum ChangeEventType {
  /** The record was created. */
  CREATED,
  /** One or more properties changed; {@link ChangeEvent#propertyName()} names one when the vendor says. */
  UPDATED,
  /** The record was deleted (archived, moved to the recycle bin); it may come back as {@link #RESTORED}. */
  DELETED,
  /** The record was permanently deleted for privacy law (GDPR); local copies must be erased too. */
  PRIVACY_DELETED,
  /** Records were merged; {@link ChangeEvent#objectId()} is the survivor, {@link ChangeEvent#mergedIds()} the rest. */
  MERGED,
  /** A deleted record was restored. */
  RESTORED,
  /** An association (link) between this record and another was added or removed. */
  ASSOCIATION_CHANGED,
  /** A type crmkit does not know; {@link ChangeEvent#rawType()} says what the vendor sent. Reported, never dropped. */
  UNKNOWN
}
