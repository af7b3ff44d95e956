package hugesim.dsl

import org.codehaus.groovy.ast.ClassCodeExpressionTransformer
import org.codehaus.groovy.ast.ClassHelper
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.BinaryExpression
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.DeclarationExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression
import org.codehaus.groovy.ast.expr.VariableExpression
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer
import org.codehaus.groovy.syntax.Token
import org.codehaus.groovy.syntax.Types

/**
 * Rewrites a script's {@code a + b}, {@code a - b}, {@code a * b} (and {@code x += y} and the like on a
 * variable) to {@link Exact}, so arithmetic on sizes that overflows is an error rather than a wrap:
 * {@code memory 1.GB * 17179869185L} would otherwise be a 1 GiB machine.
 */
class ExactArithmetic extends CompilationCustomizer {
    private static final ClassNode EXACT = ClassHelper.make(Exact)
    private static final Map<Integer, String> OPS = [(Types.PLUS): 'plus', (Types.MINUS): 'minus', (Types.MULTIPLY): 'multiply']
    private static final Map<Integer, String> ASSIGN_OPS = [(Types.PLUS_EQUAL): 'plus', (Types.MINUS_EQUAL): 'minus', (Types.MULTIPLY_EQUAL): 'multiply']

    ExactArithmetic() { super(CompilePhase.CONVERSION) }

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
                if (e instanceof BinaryExpression && !(e instanceof DeclarationExpression)) {
                    int type = e.operation.type
                    String op = OPS[type]
                    if (op != null) return exact(op, transform(e.leftExpression), transform(e.rightExpression), e)
                    op = ASSIGN_OPS[type]
                    if (op != null && e.leftExpression instanceof VariableExpression) {
                        def left = e.leftExpression
                        def assign = new BinaryExpression(left, Token.newSymbol(Types.ASSIGN, e.operation.startLine, e.operation.startColumn),
                                exact(op, left, transform(e.rightExpression), e))
                        assign.sourcePosition = e
                        return assign
                    }
                }
                e.transformExpression(this)
            }
        }.visitClass(classNode)
    }

    private static Expression exact(String op, Expression left, Expression right, Expression where) {
        def c = new StaticMethodCallExpression(EXACT, op, new ArgumentListExpression(left, right))
        c.sourcePosition = where
        c
    }
}
