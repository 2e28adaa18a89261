package io.tandem.broker.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The broker's packages depend on each other in one order, lowest first (docs/architecture.md): a
 * package may use those before it in {@link #ORDER} and never one after it, so a change that would
 * make, say, the store know about AMQP fails here instead of in review.
 */
class ArchitectureTest {

  private static final String ROOT = "io.tandem.broker";

  /** Lowest first. Packages on one line are peers and do not use each other. */
  private static final List<List<String>> ORDER =
      List.of(
          List.of(ROOT),
          List.of("selector", "message", "store", "tls"),
          List.of("config"),
          List.of("security"),
          List.of("destination"),
          List.of("amqp"),
          List.of("admin"),
          List.of("metrics", "storagecheck", "ems"),
          List.of("server"),
          List.of("ft"),
          List.of("cli"));

  private static final JavaClasses BROKER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);

  @Test
  void shouldDependOnlyOnPackagesBelowInTheOrder() {
    for (int level = 0; level < ORDER.size(); level++) {
      for (String pkg : ORDER.get(level)) {
        String[] forbidden = forbiddenFor(level, pkg);
        if (forbidden.length == 0) {
          continue;
        }
        noClasses()
            .that()
            .resideInAPackage(packageName(pkg))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(forbidden)
            .because(pkg + " sits below them in the broker's package order")
            .check(BROKER);
      }
    }
  }

  @Test
  void shouldBeTheOrderThatDocsArchitectureShows() throws IOException {
    List<List<String>> documented = new ArrayList<>();
    Pattern row = Pattern.compile("^\\| (\\d+) \\| (`[^|]+`) \\|");
    for (String line : Files.readAllLines(Path.of("../docs/architecture.md"))) {
      Matcher m = row.matcher(line);
      if (m.find()) {
        List<String> peers = new ArrayList<>();
        for (String name : m.group(2).split(",")) {
          peers.add(name.strip().replace("`", ""));
        }
        documented.add(peers);
      }
    }
    List<List<String>> expected = new ArrayList<>();
    expected.add(List.of(ROOT));
    expected.addAll(ORDER.subList(1, ORDER.size()));
    assertEquals(expected, documented, "docs/architecture.md's package table");
  }

  @Test
  void shouldKeepTheRootPackageToTypesEveryPackageShares() {
    noClasses()
        .that()
        .resideInAPackage(ROOT)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(allButRoot())
        .because("the root package holds only the types every package shares")
        .check(BROKER);
  }

  @Test
  void shouldNotDependOnTheAgentTheBenchmarksOrTestSupport() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.tandem.agent..", "io.tandem.bench..", "io.tandem.testing..")
        .because("the broker is a module below ha-agent and bench, and tests stay out of it")
        .check(BROKER);
  }

  @Test
  void shouldKeepNettyAndProtonInsideTheProtocolPackages() {
    noClasses()
        .that()
        .resideInAnyPackage(
            packageName("store"),
            packageName("destination"),
            packageName("config"),
            packageName("security"),
            packageName("selector"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "org.apache.qpid.proton.engine..")
        .because("only the protocol front ends talk to the network")
        .check(BROKER);
  }

  private static String[] forbiddenFor(int level, String pkg) {
    List<String> higher =
        ORDER.subList(level, ORDER.size()).stream()
            .flatMap(List::stream)
            .filter(p -> !p.equals(pkg))
            .map(ArchitectureTest::packageName)
            .toList();
    return higher.toArray(String[]::new);
  }

  private static String[] allButRoot() {
    return ORDER.stream()
        .skip(1)
        .flatMap(List::stream)
        .map(ArchitectureTest::packageName)
        .toArray(String[]::new);
  }

  private static String packageName(String pkg) {
    return pkg.equals(ROOT) ? ROOT : ROOT + "." + pkg + "..";
  }
}
