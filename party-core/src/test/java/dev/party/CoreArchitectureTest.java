package dev.party;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Instant;
import java.util.Random;

@AnalyzeClasses(packages = "dev.party", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

  @ArchTest
  static final ArchRule core_knows_no_store_http_or_logging_backend = noClasses()
      .should().dependOnClassesThat()
      .resideInAnyPackage("org.postgresql..", "org.sqlite..", "io.javalin..", "ch.qos.logback..")
      .as("the core depends on no store, no HTTP library and no logging backend");

  @ArchTest
  static final ArchRule handler_api_does_not_see_the_engine = noClasses()
      .that().resideInAnyPackage("dev.party.task..", "dev.party.store..", "dev.party.schedule..", "dev.party.error..")
      .and().resideOutsideOfPackage("dev.party.store.jdbc..")
      .should().dependOnClassesThat().resideInAPackage("dev.party.engine..");

  @ArchTest
  static final ArchRule time_and_randomness_are_injected = noClasses()
      .should().callMethod(Instant.class, "now")
      .orShould().callMethod(System.class, "currentTimeMillis")
      .orShould().callConstructor(Random.class)
      .as("no Instant.now(), System.currentTimeMillis() or new Random() in main code: use PartyClock and an injected RandomGenerator");
}
