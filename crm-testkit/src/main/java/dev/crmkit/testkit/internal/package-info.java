/**
 * Pieces the vendor emulators share: the loopback address they listen on, form-body parsing and
 * the queue of injected faults. Not exported; nothing outside crm-testkit may use it.
 */
package dev.crmkit.testkit.internal;
