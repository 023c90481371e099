package dev.crmkit.integrations;

import dev.crmkit.sync.SyncFlow;

/**
 * One stored field-mapping rule of a tenant integration (SKELETON: helper A validates and documents).
 *
 * @param field the crmkit field, as {@link dev.crmkit.sync.FieldMapping} names it
 * @param remoteField the vendor's field (property) name
 * @param flow which way the field flows
 * @param transform the name of a value transform ({@code "none"} for none)
 */
public record MappingRule(String field, String remoteField, SyncFlow flow, String transform) {}
