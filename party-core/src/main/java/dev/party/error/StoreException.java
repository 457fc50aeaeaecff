package dev.party.error;

/** The store could not be reached or refused a statement; the operation did not take effect. */
public final class StoreException extends PartyException {

  public StoreException(String message, Throwable cause) {
    super(ErrorCode.STORE_UNAVAILABLE, message, cause);
  }
}
