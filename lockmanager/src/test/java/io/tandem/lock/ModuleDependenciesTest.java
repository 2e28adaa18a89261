package io.tandem.lock;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The lock manager knows no broker and no agent: both build on it. */
class ModuleDependenciesTest {

  @Test
  void shouldNotDependOnTheModulesThatUseIt() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.tandem.broker..", "io.tandem.agent..", "io.tandem.bench..", "io.tandem.testing..")
        .because("docs/architecture.md: lockmanager sits below broker and ha-agent")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tandem.lock"));
  }
}
