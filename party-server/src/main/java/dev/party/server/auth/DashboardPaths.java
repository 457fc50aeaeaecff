package dev.party.server.auth;

/** Where the dashboard lives, and which of its paths anyone may fetch. */
public final class DashboardPaths {
  public static final String ROOT = "/dashboard";
  /** Answers who is logged in and their CSRF secret: behind auth like the API. */
  public static final String SESSION = ROOT + "/session";

  private DashboardPaths() {}

  /**
   * Pages, scripts, styles, login and logout are open: they hold no task data (pages fetch it from
   * the API with the login), and the login page must be reachable before a login.
   */
  public static boolean isOpen(String path) {
    if (path.equals(ROOT) || path.equals(ROOT + "/")) return true;
    return path.startsWith(ROOT + "/") && !path.equals(SESSION) && !path.equals(SESSION + "/");
  }
}
