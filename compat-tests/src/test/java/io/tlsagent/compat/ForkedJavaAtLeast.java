package io.tlsagent.compat;

import io.tlsagent.testsupport.ForkedJvm;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Skips a test class when the forked java ({@link ForkedJvm#java()}) is older than {@link #value()}, saying why
 * (for libraries that need a newer Java than the agent does).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ForkedJavaAtLeast.Condition.class)
public @interface ForkedJavaAtLeast {

    int value();

    /** What needs it, for the skip message: "Tomcat 11". */
    String what();

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return AnnotationSupport.findAnnotation(context.getElement(), ForkedJavaAtLeast.class).map(a -> {
                int forked;
                try {
                    forked = ForkedJvm.javaFeature();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                String why = a.what() + " needs Java " + a.value() + "+; the forked java (" + ForkedJvm.java()
                        + ") is " + forked;
                if (forked >= a.value()) {
                    return ConditionEvaluationResult.enabled(why);
                }
                System.err.println("[compat-tests] skipped: " + why);
                return ConditionEvaluationResult.disabled(why);
            }).orElse(ConditionEvaluationResult.enabled("no minimum"));
        }
    }
}
