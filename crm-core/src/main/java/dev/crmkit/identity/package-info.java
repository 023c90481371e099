/**
 * Identity: how crmkit decides that two contact points are the same person. Exact match keys
 * (E.164 phones, lower-cased emails) find customers; looser keys find duplicate candidates.
 */
package dev.crmkit.identity;
