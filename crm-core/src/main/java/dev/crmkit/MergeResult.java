package dev.crmkit;

/**
 * The outcome of {@link CustomerSystem#merge}.
 *
 * @param survivor the surviving customer after the merge
 * @param mergedId the id of the customer merged away; lookups by it now reach the survivor
 * @param notesMoved notes moved to the survivor
 * @param activitiesMoved activities moved to the survivor
 */
public record MergeResult(Customer survivor, String mergedId, int notesMoved, int activitiesMoved) {}
