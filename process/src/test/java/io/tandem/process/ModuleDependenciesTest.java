package io.tandem.process;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The process module sits below every other: it uses the JDK and Picocli, nothing else. */
class ModuleDependenciesTest {

  @Test
  void shouldUseOnlyTheJdk() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("io.tandem.process..", "java..", "javax..", "picocli..")
        .because("broker, ha-agent and lock manager build on this module, not it on them")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tandem.process"));
  }
}
