package hugesim.dsl

import org.codehaus.groovy.ast.ClassCodeExpressionTransformer
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer

/**
 * A compilation customizer that rewrites some expressions of a script, closures' bodies included (a
 * closure is an expression whose code the plain transformer does not enter). Subclasses say which
 * expressions and into what; everything else keeps its shape, with its parts rewritten.
 */
abstract class ExpressionRewriter extends CompilationCustomizer {
    ExpressionRewriter() { super(CompilePhase.CONVERSION) }

    /**
     * The replacement for {@code e}, or null to keep it; {@code parts} rewrites sub-expressions the same way.
     */
    protected abstract Expression rewrite(Expression e, ClassCodeExpressionTransformer parts)

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
                Expression replaced = rewrite(e, this)
                replaced != null ? replaced : e.transformExpression(this)
            }
        }.visitClass(classNode)
    }
}
