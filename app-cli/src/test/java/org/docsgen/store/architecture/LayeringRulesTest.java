package org.docsgen.store.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module rules of ARCHITECTURE.md § Modules, stated once. They run over every production class
 * of the reactor (app-cli sees all modules on its classpath); a broken rule fails the build.
 */
@AnalyzeClasses(
    packages = "org.docsgen.store",
    importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringRulesTest {
  private static final String DOMAIN = "org.docsgen.store.domain..";
  private static final String PORTS = "org.docsgen.store.ports..";
  private static final String ADAPTERS = "org.docsgen.store.adapters..";
  private static final String FS = "org.docsgen.store.adapters.fs..";
  private static final String S3 = "org.docsgen.store.adapters.s3..";
  private static final String JDBC = "org.docsgen.store.adapters.jdbc..";
  private static final String APPS = "org.docsgen.store.app..";

  @ArchTest
  static final ArchRule domainUsesOnlyTheJdk =
      classes()
          .that()
          .resideInAPackage(DOMAIN)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(DOMAIN, "java..")
          .because("the domain is pure Java: no framework, no I/O library");

  @ArchTest
  static final ArchRule portsUseOnlyDomainJdkAndCommonsCompress =
      classes()
          .that()
          .resideInAPackage(PORTS)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              PORTS, DOMAIN, "java..", "javax.crypto..", "org.apache.commons.compress..")
          .because("ports know no framework; commons-compress only for the bundle zip format");

  @ArchTest
  static final ArchRule commonsCompressOnlyInTheBundleWriter =
      noClasses()
          .that()
          .resideInAPackage(PORTS)
          .and()
          .resideOutsideOfPackage("org.docsgen.store.ports.bundle..")
          .and()
          .resideOutsideOfPackage("org.docsgen.store.ports.service..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.commons.compress..")
          .because("the zip format is used in one place: writing and re-reading bundles");

  @ArchTest
  static final ArchRule noVendorTypeInPorts =
      noClasses()
          .that()
          .resideInAnyPackage(DOMAIN, PORTS)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.sql..",
              "javax.sql..",
              "software.amazon..",
              "org.jdbi..",
              "io.javalin..",
              "com.google.inject..",
              "jakarta.inject..",
              "picocli..",
              "com.fasterxml.jackson..")
          .because("no vendor type may appear in a port signature");

  @ArchTest static final ArchRule fsAdapterIsIndependent = adapterIndependent(FS, S3, JDBC);

  @ArchTest static final ArchRule s3AdapterIsIndependent = adapterIndependent(S3, FS, JDBC);

  @ArchTest static final ArchRule jdbcAdapterIsIndependent = adapterIndependent(JDBC, FS, S3);

  @ArchTest
  static final ArchRule guiceOnlyInAdaptersAndApps =
      noClasses()
          .that()
          .resideOutsideOfPackages(ADAPTERS, APPS)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.google.inject..", "jakarta.inject..");

  @ArchTest
  static final ArchRule javalinPicocliAndConfigOnlyInApps =
      noClasses()
          .that()
          .resideOutsideOfPackage(APPS)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.javalin..", "picocli..", "org.yaml..", "com.fasterxml.jackson.dataformat.yaml..")
          .because("HTTP, the command line and reading configuration happen only in app-*");

  @ArchTest
  static final ArchRule adaptersExposeOnlyTheirModuleAndSettings =
      classes()
          .that()
          .resideInAPackage(ADAPTERS)
          .and()
          .resideOutsideOfPackage("org.docsgen.store.adapters.*.testing..")
          .and()
          .arePublic()
          .and()
          .areTopLevelClasses()
          .should()
          .beAssignableTo(com.google.inject.Module.class)
          .orShould()
          .haveSimpleNameEndingWith("Settings")
          .because(
              "an adapter exposes one Guice module and its settings record; the rest is"
                  + " package-private");

  @ArchTest
  static final ArchRule cliDoesNotLeakIntoHttp =
      noClasses()
          .that()
          .resideInAPackage("org.docsgen.store.app.http..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.docsgen.store.app.cli..");

  private static ArchRule adapterIndependent(String self, String other1, String other2) {
    return noClasses()
        .that()
        .resideInAPackage(self)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(other1, other2, APPS)
        .because("no adapter imports another adapter, app-http or app-cli");
  }
}
