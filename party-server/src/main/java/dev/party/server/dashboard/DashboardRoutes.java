package dev.party.server.dashboard;

import dev.party.error.ErrorCode;
import dev.party.server.ServerConfig;
import dev.party.server.api.AccessControl;
import dev.party.server.api.Caller;
import dev.party.server.api.HttpRefusal;
import dev.party.server.auth.DashboardPaths;
import dev.party.server.auth.DashboardSessions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard at {@code /dashboard}: static pages that fetch the JSON API with the browser's
 * login (or, without tokens, as the loopback user) and render it as text. The routes here serve
 * files and the login; the data comes from the API's own routes.
 */
public final class DashboardRoutes {
  /** Page names in the URL, and their files. */
  private static final Map<String, String> PAGES = Map.of(
      "tasks", "tasks.html",
      "task", "task.html",
      "schedules", "schedules.html",
      "workers", "workers.html",
      "login", "login.html");

  private final DashboardAssets assets = new DashboardAssets();
  private final DashboardSessions sessions;
  private final boolean tokens;

  private DashboardRoutes(DashboardSessions sessions, boolean tokens) {
    this.sessions = sessions;
    this.tokens = tokens;
  }

  public static void register(RoutesConfig routes, ServerConfig config, DashboardSessions sessions) {
    var dashboard = new DashboardRoutes(sessions, !config.tokens().isEmpty());
    var login = new LoginRoutes(config.tokens(), sessions);
    String root = DashboardPaths.ROOT;
    routes.get(root, ctx -> dashboard.send(ctx, dashboard.assets.page("overview.html")));
    routes.get(root + "/assets/{file}", ctx -> dashboard.send(ctx, dashboard.assets.own(ctx.pathParam("file"))));
    routes.get(root + "/vendor/{file}", ctx -> dashboard.send(ctx, dashboard.assets.vendor(ctx.pathParam("file"))));
    routes.get(DashboardPaths.SESSION, dashboard::session);
    routes.post(root + "/login", login::login);
    routes.post(root + "/logout", login::logout);
    routes.get(root + "/{page}", dashboard::page);
  }

  private void page(Context ctx) {
    String file = PAGES.get(ctx.pathParam("page"));
    if (file == null) {
      throw new HttpRefusal(ErrorCode.NOT_FOUND, "the dashboard has no page '%s'; try %s".formatted(
          ctx.pathParam("page"), PAGES.keySet().stream().sorted().toList()));
    }
    send(ctx, assets.page(file));
  }

  private void send(Context ctx, DashboardAssets.Asset asset) {
    SecurityHeaders.apply(ctx);
    ctx.contentType(asset.contentType()).result(asset.bytes());
  }

  /**
   * GET /dashboard/session: who the page acts as. {@code login} says whether this server has
   * tokens (so the page offers log-out), {@code canAct} whether actions are allowed (admin), and
   * {@code csrf} the secret the page sends back in {@code X-Party-CSRF} on every action.
   */
  private void session(Context ctx) {
    Caller shown = ctx.attribute(AccessControl.CALLER);
    if (shown == null) throw new IllegalStateException("the auth filter lets no request here without a caller");
    List<String> scopes = shown.scopes().stream().map(scope -> scope.name().toLowerCase(Locale.ROOT)).sorted().toList();
    SecurityHeaders.apply(ctx);
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("application/json").result(Json.object(json -> {
      json.writeBooleanField("login", tokens);
      json.writeArrayFieldStart("scopes");
      for (String scope : scopes) json.writeString(scope);
      json.writeEndArray();
      json.writeBooleanField("canAct", shown.mayAct());
      json.writeStringField("csrf", shown.csrf());
    }));
  }
}
