package hugesim.dsl

import org.codehaus.groovy.ast.ClassCodeExpressionTransformer
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.MethodCallExpression

/**
 * Sends a script's {@code sleep(...)} to the DSL's {@code simSleep}. Inside a closure, Groovy would first
 * find its own {@code Object.sleep(long)}, so {@code sleep 3000} would wait three real seconds and leave
 * simulated time alone; renamed, a bare number meets the DSL's error instead.
 */
class SleepCustomizer extends ExpressionRewriter {
    @Override
    protected Expression rewrite(Expression e, ClassCodeExpressionTransformer parts) {
        if (!(e instanceof MethodCallExpression) || !e.implicitThis || e.methodAsString != 'sleep') return null
        def call = new MethodCallExpression(parts.transform(e.objectExpression), 'simSleep', parts.transform(e.arguments))
        call.implicitThis = true
        call.sourcePosition = e
        call
    }
}
