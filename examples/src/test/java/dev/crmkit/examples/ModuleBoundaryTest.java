package dev.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * crmkit's module boundary, checked on the path of a host that uses every library module (this
 * module's dependencies, listed by the build in {@code target/runtime-module-path.txt})
 * used as a module path. The other tests run on the class path, where the boundary does not hold.
 *
 * <p>A new library module goes into {@link #LIBRARY_MODULES}; a new public package goes into its
 * module's {@code module-info.java} as {@code exports}; a package named {@code ...internal...} is
 * never exported or opened. This module and {@code benchmarks} are applications on the class path,
 * where nothing stops an import of an internal package; jdeps checks that they have none.
 */
class ModuleBoundaryTest {
  /** Every library module of crmkit. */
  private static final Set<String> LIBRARY_MODULES = Set.of(
      "dev.crmkit.core", "dev.crmkit.sync", "dev.crmkit.http", "dev.crmkit.hubspot", "dev.crmkit.salesforce",
      "dev.crmkit.jdbc", "dev.crmkit.testkit", "dev.crmkit.integrations");

  private static ModuleFinder modulePath;

  @BeforeAll
  static void readTheRuntimePath() throws IOException {
    Path file = Path.of(System.getProperty("basedir", "."), "target", "runtime-module-path.txt");
    Path[] entries = Arrays.stream(Files.readString(file).strip().split(File.pathSeparator))
        .filter(s -> !s.isBlank()).map(Path::of).toArray(Path[]::new);
    modulePath = ModuleFinder.of(entries);
  }

  @Test
  void everyLibraryModuleHasADescriptorOfItsOwn() {
    Map<String, ModuleDescriptor> crmkit = crmkitModules();

    assertThat(crmkit.keySet()).containsExactlyInAnyOrderElementsOf(LIBRARY_MODULES);
    assertThat(crmkit.values()).allSatisfy(d -> assertThat(d.isAutomatic()).as(d.name() + " is automatic").isFalse());
  }

  @Test
  void noModuleExportsOrOpensAnInternalPackage() {
    for (ModuleDescriptor d : crmkitModules().values()) {
      assertThat(d.exports()).as(d.name() + " exports").allSatisfy(e -> {
        assertThat(isInternal(e.source())).as(e.source()).isFalse();
        assertThat(e.isQualified()).as("qualified export of " + e.source()).isFalse();
      });
      assertThat(d.opens()).as(d.name() + " opens").allSatisfy(o -> assertThat(isInternal(o.source())).as(o.source()).isFalse());
    }
  }

  @Test
  void everyPackageWithClassesIsExportedUnlessItIsInternal() throws IOException {
    for (ModuleReference ref : modulePath.findAll()) {
      ModuleDescriptor d = ref.descriptor();
      if (!LIBRARY_MODULES.contains(d.name())) {
        continue;
      }
      Set<String> publicPackages = packagesWithClasses(ref).stream().filter(p -> !isInternal(p))
          .collect(Collectors.toCollection(TreeSet::new));
      Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source)
          .collect(Collectors.toCollection(TreeSet::new));

      assertThat(exported).as(d.name() + " exports").containsExactlyInAnyOrderElementsOf(publicPackages);
    }
  }

  @Test
  void theLibraryModulesResolveTogetherWithTheirDependencies() {
    Configuration configuration = ModuleLayer.boot().configuration().resolveAndBind(modulePath, ModuleFinder.of(),
        LIBRARY_MODULES);

    assertThat(configuration.modules()).extracting(ResolvedModule::name).containsAll(LIBRARY_MODULES);
  }

  @Test
  void onTheModulePathServiceLoaderFindsTheProvidersAndFlywayFindsTheMigrations() throws Exception {
    Set<String> roots = new TreeSet<>(LIBRARY_MODULES);
    roots.add("com.h2database");
    Configuration configuration = ModuleLayer.boot().configuration().resolveAndBind(modulePath, ModuleFinder.of(), roots);
    ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    ClassLoader loader = layer.findLoader("dev.crmkit.core");

    // IntegrationFactory (in dev.crmkit.core) loads the providers other modules declare with `provides`.
    Class<?> factoryType = loader.loadClass("dev.crmkit.IntegrationFactory");
    Object builder = factoryType.getMethod("builder").invoke(null);
    builder.getClass().getMethod("classLoader", ClassLoader.class).invoke(builder, loader);
    Object factory = builder.getClass().getMethod("build").invoke(builder);
    try {
      assertThat((List<?>) factoryType.getMethod("loadFailures").invoke(factory)).isEmpty();
      @SuppressWarnings("unchecked")
      Set<String> names = (Set<String>) factoryType.getMethod("providerNames").invoke(factory);
      assertThat(names).contains("memory", "hubspot", "native");
    } finally {
      factoryType.getMethod("close").invoke(factory);
    }

    // The migrations under db/crmkit/<dialect> are resources of dev.crmkit.jdbc, found by Flyway.
    Object h2 = layer.findLoader("com.h2database").loadClass("org.h2.jdbcx.JdbcDataSource").getConstructor().newInstance();
    h2.getClass().getMethod("setURL", String.class).invoke(h2, "jdbc:h2:mem:modules-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    h2.getClass().getMethod("setUser", String.class).invoke(h2, "sa");
    Method migrate = layer.findLoader("dev.crmkit.jdbc").loadClass("dev.crmkit.jdbc.NativeSchema")
        .getMethod("migrate", DataSource.class);

    assertThat((Integer) migrate.invoke(null, h2)).isPositive();
  }

  @Test
  void theExamplesUseNoInternalPackageOfALibrary() {
    assertThat(internalDependencies(Path.of(System.getProperty("basedir", "."), "target", "classes")))
        .as("dependencies of the examples on internal packages").isEmpty();
  }

  /**
   * The lines of jdeps' package-level report on the classes under {@code classes} that name a
   * dependency on a package {@code dev.crmkit...internal...} (of any module: {@code classes}' own
   * packages are not under {@code dev.crmkit...internal}).
   */
  static List<String> internalDependencies(Path classes) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
    StringWriter out = new StringWriter();
    int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "--multi-release", "17", "-verbose:package",
        "-e", "dev\\.crmkit\\..*\\binternal\\b.*", classes.toString());
    assertThat(status).as("jdeps: " + out).isZero();
    return out.toString().lines().filter(l -> l.contains("->") && l.contains("internal")).toList();
  }

  private static Map<String, ModuleDescriptor> crmkitModules() {
    return modulePath.findAll().stream().map(ModuleReference::descriptor).filter(d -> d.name().startsWith("dev.crmkit."))
        .collect(Collectors.toMap(ModuleDescriptor::name, d -> d, (a, b) -> a, TreeMap::new));
  }

  private static boolean isInternal(String packageName) {
    return Arrays.asList(packageName.split("\\.")).contains("internal");
  }

  /** The packages of a module that hold at least one class (not those that hold only resources). */
  private static Set<String> packagesWithClasses(ModuleReference ref) throws IOException {
    try (ModuleReader reader = ref.open(); Stream<String> names = reader.list()) {
      return names.filter(n -> n.endsWith(".class") && n.contains("/") && !n.startsWith("META-INF/"))
          .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.'))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
