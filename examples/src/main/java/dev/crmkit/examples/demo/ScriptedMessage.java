package dev.crmkit.examples.demo;

import dev.crmkit.inbound.InboundMessage;
import java.util.Objects;

/**
 * One generated inbound message with what it is meant to exercise and the outcome a fresh tenant
 * holding exactly the generator's known customers must produce.
 *
 * @param kind what the message exercises; never null
 * @param message the message; never null
 * @param expected the expected outcome; never null
 */
public record ScriptedMessage(Kind kind, InboundMessage message, Expected expected) {

  /** What a generated message exercises. */
  public enum Kind {
    /** A known customer's phone, written in another format. */
    KNOWN_PHONE,
    /** A known customer's email, upper-cased and padded with spaces. */
    KNOWN_EMAIL,
    /** Someone no customer has. */
    NEW_PERSON,
    /** Someone created by an earlier message, writing again with a new message id. */
    RETURNING_NEW_PERSON,
    /** An earlier message delivered again with the same message id. */
    REDELIVERY,
    /** A known customer writing from a plus-tagged alias of their email ({@code name+shop@domain}). */
    PLUS_ALIAS,
    /** A sender address that is no phone number or no email address. */
    MALFORMED_SENDER
  }

  /** What the first-contact handler should do with the message. */
  public enum Expected {
    MATCHED,
    CREATED,
    DUPLICATE,
    /** The handler throws a {@link dev.crmkit.error.ValidationException} naming the sender. */
    REJECTED
  }

  public ScriptedMessage {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(expected, "expected");
  }
}
