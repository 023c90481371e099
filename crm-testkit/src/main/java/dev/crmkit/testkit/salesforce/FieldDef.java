package dev.crmkit.testkit.salesforce;

import java.util.List;

/**
 * One field of an sObject type as describe shows it.
 *
 * @param length maximum characters for text types, 0 otherwise
 * @param required whether a create must set it (describe: not nillable, createable, not defaulted)
 * @param writable whether create and update may set it; system and formula fields are not
 * @param referenceTo the object types a reference field may point to; empty otherwise
 * @param picklist the values of a picklist field, in order; empty otherwise
 * @param defaultValue the value a create sets when the field is not given; null for none
 */
record FieldDef(
    String name,
    String label,
    FieldType type,
    int length,
    boolean required,
    boolean writable,
    List<String> referenceTo,
    List<PicklistValue> picklist,
    Object defaultValue) {

  /** One picklist value, and whether it is the one a create gets when the field is not given. */
  record PicklistValue(String value, boolean defaultValue) {}

  boolean nillable() {
    return !required && type != FieldType.BOOLEAN && !name.equals("Id");
  }
}
