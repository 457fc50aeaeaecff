package dev.party.error;

/**
 * The store could not be reached or refused a statement, or was too busy to take the operation
 * in time ({@link #busy}); either way the operation did not take effect.
 */
public final class StoreException extends PartyException {

  public StoreException(String message, Throwable cause) {
    super(ErrorCode.STORE_UNAVAILABLE, message, cause);
  }

  private StoreException(ErrorCode code, String message) {
    super(code, message, null);
  }

  /**
   * The store is up but could not take the operation within its time ({@link ErrorCode#BUSY}):
   * too much is waiting to be written. Nothing of it was stored; it may be sent again later.
   */
  public static StoreException busy(String message) {
    return new StoreException(ErrorCode.BUSY, message);
  }
}
