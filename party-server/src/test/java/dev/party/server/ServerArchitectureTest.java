package dev.party.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.party.server", importOptions = ImportOption.DoNotIncludeTests.class)
class ServerArchitectureTest {

  @ArchTest
  static final ArchRule the_server_uses_the_front_door_not_the_engine_or_a_store = noClasses()
      .should().dependOnClassesThat()
      .resideInAnyPackage("dev.party.engine..", "dev.party.store.sqlite..", "dev.party.store.postgres..", "dev.party.store.jdbc..")
      .as("the server talks to Party and its public types, never to the engine or a store directly");
}
