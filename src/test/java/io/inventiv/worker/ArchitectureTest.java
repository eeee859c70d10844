package io.inventiv.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of the design, checked on the compiled server and tools (not the tests). */
class ArchitectureTest {
    private static final String TOOLS = "io.inventiv.worker.tools..";
    /** The raw baseline of the benchmarks measures the binding itself, so it calls it directly. */
    private static final String RAW_BASELINE = "io.inventiv.worker.tools.bench.RawBindingDriver";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.inventiv.worker");
    }

    @Test
    void theServerNeverImportsItsTools() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage(TOOLS)
                .should().dependOnClassesThat().resideInAPackage(TOOLS)
                .because("the jar's server must run, and be read, without its benchmarks, soak and fixtures");
        rule.check(classes);
    }

    @Test
    void onlyTheBindingLayerTouchesDeKherud() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("io.inventiv.worker.engine.binding..")
                .and().haveNameNotMatching(Pattern.quote(RAW_BASELINE) + "(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("de.kherud..")
                .because("the binding aborts the JVM on unchecked input, so one layer checks every value");
        rule.check(classes);
    }

    @Test
    void onlyMetricsTouchesPrometheus() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("io.inventiv.worker.metrics..")
                .should().dependOnClassesThat().resideInAPackage("io.prometheus..")
                .because("the vllm: names, types and buckets are defined in one place");
        rule.check(classes);
    }

    @Test
    void theApiReachesTheEngineOnlyThroughItsFacade() {
        ArchRule rule = noClasses().that().resideInAPackage("io.inventiv.worker.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.inventiv.worker.engine.binding..",
                        "io.inventiv.worker.engine.jni..")
                .because("handlers parse, validate and submit; native concerns stay in the engine");
        rule.check(classes);
    }

    @Test
    void theRulesSeeTheClassesTheyGuard() {
        // A rule over an empty import passes vacuously; make sure the server, tools and binding were read.
        assertTrue(classes.contain(Server.class));
        assertTrue(classes.contain(RAW_BASELINE));
        assertTrue(classes.contain("io.inventiv.worker.engine.binding.LlamaBinding"));
    }
}
