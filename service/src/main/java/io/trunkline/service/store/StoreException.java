package io.trunkline.service.store;

/** The store could not do what was asked. The message names the operation and the database's reason, never a password. */
public final class StoreException extends RuntimeException {
    public StoreException(String operation, java.sql.SQLException cause) {
        super(operation + " failed: " + cause.getMessage() + " (SQLState " + cause.getSQLState() + ")", cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
