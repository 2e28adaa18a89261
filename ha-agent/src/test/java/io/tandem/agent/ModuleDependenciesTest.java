package io.tandem.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The agent runs a broker as a process and reads its {@code /health}; it never links the broker's
 * classes, so either can be upgraded without the other.
 */
class ModuleDependenciesTest {

  @Test
  void shouldNotDependOnTheBrokerTheBenchmarksOrTestSupport() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.tandem.broker..", "io.tandem.bench..", "io.tandem.testing..")
        .because("docs/architecture.md: ha-agent depends on process and lockmanager only")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tandem.agent"));
  }
}
