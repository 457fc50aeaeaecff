package dev.party.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.party.client", importOptions = ImportOption.DoNotIncludeTests.class)
class ClientArchitectureTest {

  @ArchTest
  static final ArchRule the_client_needs_no_other_party_module = classes()
      .should().onlyDependOnClassesThat().resideInAnyPackage("dev.party.client..", "java..", "com.fasterxml.jackson..")
      .as("party-client depends on Jackson and the JDK only, so any Java program can use it");
}
