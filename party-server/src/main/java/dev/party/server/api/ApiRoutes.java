package dev.party.server.api;

import dev.party.Party;
import dev.party.error.ErrorCode;
import dev.party.server.ServerConfig;
import dev.party.server.auth.DashboardSessions;
import io.javalin.config.RoutesConfig;

/** Puts the API's routes, its auth filter and its error mapping on a Javalin config. */
public final class ApiRoutes {
  /** The name PartyServer gives its Unix socket connector; requests on it skip token checks. */
  public static final String UNIX_CONNECTOR = AccessControl.UNIX_CONNECTOR;

  private ApiRoutes() {}

  /** Registers the routes; {@code sessions} are the dashboard's logins, which the auth filter accepts besides tokens. */
  public static void register(RoutesConfig routes, Party party, ServerConfig config, DashboardSessions sessions) {
    var errors = new ErrorMapper(config.retryAfter());
    var access = new AccessControl(config.tokens(), sessions);
    var enqueueBody = new EnqueueBody(config.maxTasksPerPost());
    var admission = new TaskAdmission(config.maxTasksInFlight(), config.enqueueTimeout());
    var tasks = new TaskRoutes(party, new BodyReader(config.maxBodyBytes()), enqueueBody, admission);
    var workflows = new WorkflowRoutes(party, new BodyReader(config.maxBodyBytes()), enqueueBody);
    var schedules = new ScheduleRoutes(party, new BodyReader(config.maxBodyBytes()));
    var status = new StatusRoutes(party, errors);
    var workers = new WorkerRoutes(party);
    var queues = new QueueRoutes(party);
    var stats = new StatsRoutes(party);

    routes.before(access::check);
    routes.post("/tasks", tasks::enqueue);
    routes.get("/tasks", tasks::list);
    routes.get("/tasks/{id}", tasks::get);
    routes.delete("/tasks/{id}", tasks::delete);
    routes.post("/tasks/retry", tasks::retryAll);
    routes.post("/tasks/{id}/retry", tasks::retry);
    routes.post("/task/{id}", tasks::runNow);
    routes.post("/chains", workflows::chain);
    routes.post("/groups", workflows::group);
    routes.post("/schedules", schedules::add);
    routes.get("/schedules", schedules::list);
    routes.get("/schedules/{name}", schedules::get);
    routes.delete("/schedules/{name}", schedules::remove);
    routes.post("/schedules/{name}/pause", schedules::pause);
    routes.post("/schedules/{name}/resume", schedules::resume);
    routes.post("/schedules/{name}/trigger", schedules::trigger);
    routes.get("/status", status::status);
    routes.get("/workers", workers::list);
    routes.get("/queues", queues::list);
    routes.post("/queues/{name}/pause", queues::pause);
    routes.post("/queues/{name}/resume", queues::resume);
    routes.get("/stats/throughput", stats::throughput);
    routes.get("/health", status::health);

    routes.exception(Exception.class, errors::handle);
    // Javalin's own 404 and 405 (no such route, wrong method); ours already carry a body.
    routes.error(404, ctx -> {
      if (ctx.attribute(ErrorMapper.REFUSED) == null) {
        errors.refuse(ctx, ErrorCode.NOT_FOUND, "no route %s %s".formatted(ctx.method(), ctx.path()));
      }
    });
    routes.error(405, ctx -> {
      if (ctx.attribute(ErrorMapper.REFUSED) == null) {
        errors.refuse(ctx, ErrorCode.METHOD_NOT_ALLOWED, "%s is not allowed on %s".formatted(ctx.method(), ctx.path()));
      }
    });
  }
}
