package dev.party.cli;

import dev.party.Party;
import dev.party.error.ConfigException;
import dev.party.error.WorkerNameInUseException;
import dev.party.server.ApiToken;
import dev.party.server.PartyServer;
import dev.party.server.ServerConfig;
import dev.party.server.metrics.PartyMetrics;
import dev.party.store.TaskStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the HTTP API and the workers over one store, until SIGTERM.",
      "Listens on TCP (127.0.0.1:8032 unless told otherwise), on a Unix socket with --socket, or both.",
      "On SIGTERM it stops accepting requests, then stops the workers as `party worker` does."
    })
final class ServerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  @Mixin StoreOptions store;

  @Mixin EngineOptions engine;

  @Option(names = "--host", defaultValue = "${env:PARTY_HOST:-127.0.0.1}",
      description = "TCP address to bind. Env: PARTY_HOST. Default: ${DEFAULT-VALUE} (this machine only).")
  String host;

  @Option(names = "--port", defaultValue = "${env:PARTY_PORT:-8032}",
      description = "TCP port; 0 picks a free one. Env: PARTY_PORT. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--no-tcp", description = "Listen on the Unix socket only.")
  boolean noTcp;

  @Option(names = "--socket", paramLabel = "PATH", defaultValue = "${env:PARTY_SOCKET}",
      description = "Also listen on this Unix domain socket (created 0660), e.g. party-data/party.sock. Env: PARTY_SOCKET.")
  Path socket;

  @Option(names = "--max-body", defaultValue = "1048576",
      description = "Largest request body in bytes; larger ones are refused with too_large. Default: ${DEFAULT-VALUE}.")
  int maxBody;

  @Option(names = "--max-tasks-per-post", defaultValue = "10000",
      description = "Most tasks in one POST /tasks. Default: ${DEFAULT-VALUE}.")
  int maxTasksPerPost;

  @Option(names = "--token-file", paramLabel = "PATH", defaultValue = "${env:PARTY_TOKEN_FILE}",
      description = "API tokens, one per line: SCOPES TOKEN, scopes read, enqueue or admin, comma separated. "
          + "Env: PARTY_TOKEN_FILE. PARTY_API_TOKEN adds one admin token.")
  Path tokenFile;

  @Override
  public Integer call() throws Exception {
    ServerConfig config = ServerConfig.defaults()
        .host(host)
        .port(noTcp ? ServerConfig.NO_TCP : port)
        .unixSocket(socket)
        .maxBodyBytes(maxBody)
        .maxTasksPerPost(maxTasksPerPost)
        .tokens(tokens());
    config.validate(); // before the store opens: a bad flag or file changes nothing
    ConfigFile file = engine.configFile();
    TaskStore tasks = store.open();
    var metrics = new PartyMetrics();
    Party party;
    try {
      party = engine.applyTo(Handlers.registerAll(Party.builder(tasks), engine.tasksDir), file).listener(metrics).build();
    } catch (RuntimeException e) { // a broken jar in the tasks folder, two handlers with one name...
      tasks.close();
      throw e;
    }
    PartyServer server;
    try {
      file.checkHandlers(party.handlerNames());
      party.start();
      server = PartyServer.start(config, party, metrics);
    } catch (WorkerNameInUseException e) {
      tasks.close();
      System.err.printf("party: %s%n", e.getMessage());
      return Main.EXIT_ALREADY_RUNNING;
    } catch (RuntimeException e) {
      party.close();
      tasks.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping: no new requests; finishing running tasks");
      try {
        server.close();
        party.close();
      } finally {
        tasks.close();
      }
      log.info("stopped; peak resident memory {}", PeakMemory.describe());
      stopped.countDown();
    }, "party-shutdown"));
    log.info("party server {} on {}: {}, store {}, handlers {}", engine.workerId(), server.describe(),
        EngineOptions.describeWorkers(party.config()), store.db, party.handlerNames().stream().sorted().toList());
    if (server.uri() != null) log.info("dashboard: {}/dashboard", server.uri());
    stopped.await();
    return 0;
  }

  private List<ApiToken> tokens() throws IOException {
    List<ApiToken> tokens = new ArrayList<>();
    String single = System.getenv("PARTY_API_TOKEN");
    if (single != null && !single.isBlank()) tokens.add(token(single.strip(), Set.of(ApiToken.Scope.ADMIN), "PARTY_API_TOKEN"));
    if (tokenFile != null) tokens.addAll(TokenFile.read(tokenFile));
    return tokens;
  }

  static ApiToken token(String token, Set<ApiToken.Scope> scopes, String where) {
    try {
      return new ApiToken(token, scopes);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage());
    }
  }
}
