package dev.jobq;

/**
 * The broker answered, but refused us for a reason that waiting cannot fix: a wrong password or
 * user, or a URL of the wrong kind for the server (a Sentinel URL for a plain server, a master
 * name the sentinels do not know). Unlike {@link BrokerUnavailableException} it is no outage: a
 * starting worker stops on it, and retrying the call will not help until the settings change.
 */
public class BrokerConfigurationException extends JobqException {
  public BrokerConfigurationException(String message) {
    super(message);
  }

  public BrokerConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
