package hugesim.dsl

import org.codehaus.groovy.ast.ClassCodeExpressionTransformer
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer

/**
 * Sends a script's {@code sleep(...)} to the DSL's {@code simSleep}. Inside a closure, Groovy would first
 * find its own {@code Object.sleep(long)}, so {@code sleep 3000} would wait three real seconds and leave
 * simulated time alone; renamed, a bare number meets the DSL's error instead.
 */
class SleepCustomizer extends CompilationCustomizer {
    SleepCustomizer() { super(CompilePhase.CONVERSION) }

    @Override
    void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        new ClassCodeExpressionTransformer() {
            @Override
            protected SourceUnit getSourceUnit() { source }

            @Override
            Expression transform(Expression e) {
                if (e instanceof ClosureExpression) {
                    e.code?.visit(this)
                    return e
                }
                if (e instanceof MethodCallExpression && e.implicitThis && e.methodAsString == 'sleep') {
                    def call = new MethodCallExpression(transform(e.objectExpression), 'simSleep', transform(e.arguments))
                    call.implicitThis = true
                    call.sourcePosition = e
                    return call
                }
                e.transformExpression(this)
            }
        }.visitClass(classNode)
    }
}
