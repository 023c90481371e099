package dev.crmkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks run on the class path, where nothing stops an import of a library's internal
 * package (the library modules' {@code module-info.java} only binds module-path code); jdeps checks
 * that they use none. Their own {@code dev.crmkit.bench.internal} is theirs to use.
 */
class LibraryBoundaryTest {
  @Test
  void theBenchmarksUseNoInternalPackageOfALibrary() {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
    Path classes = Path.of(System.getProperty("basedir", "."), "target", "classes");
    StringWriter out = new StringWriter();
    int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "--multi-release", "17", "-verbose:package",
        "-e", "dev\\.crmkit\\.(?!bench\\.).*\\binternal\\b.*", classes.toString());

    assertThat(status).as("jdeps: " + out).isZero();
    List<String> internal = out.toString().lines().filter(l -> l.contains("->") && l.contains("internal")).toList();
    assertThat(internal).as("dependencies of the benchmarks on a library's internal packages").isEmpty();
  }
}
