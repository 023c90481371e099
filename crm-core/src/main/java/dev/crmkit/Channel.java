package dev.crmkit;

/** A way a customer reaches the host or is reached by it. */
public enum Channel {
  EMAIL,
  SMS,
  WHATSAPP,
  /** Voice calls. */
  PHONE,
  /** Web forms and web chat. */
  WEB,
  /** Messengers other than WhatsApp (Messenger, Instagram, Telegram, ...). */
  SOCIAL,
  IN_PERSON,
  OTHER
}
