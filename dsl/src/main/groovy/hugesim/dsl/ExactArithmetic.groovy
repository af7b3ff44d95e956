package hugesim.dsl

import org.codehaus.groovy.ast.ClassCodeExpressionTransformer
import org.codehaus.groovy.ast.ClassHelper
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.BinaryExpression
import org.codehaus.groovy.ast.expr.DeclarationExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression
import org.codehaus.groovy.ast.expr.VariableExpression
import org.codehaus.groovy.syntax.Token
import org.codehaus.groovy.syntax.Types

/**
 * Rewrites a script's {@code a + b}, {@code a - b}, {@code a * b} (and {@code x += y} and the like on a
 * variable) to {@link Exact}, so arithmetic on sizes that overflows is an error rather than a wrap:
 * {@code memory 1.GB * 17179869185L} would otherwise be a 1 GiB machine.
 */
class ExactArithmetic extends ExpressionRewriter {
    private static final ClassNode EXACT = ClassHelper.make(Exact)
    private static final Map<Integer, String> OPS = [(Types.PLUS): 'plus', (Types.MINUS): 'minus', (Types.MULTIPLY): 'multiply']
    private static final Map<Integer, String> ASSIGN_OPS = [(Types.PLUS_EQUAL): 'plus', (Types.MINUS_EQUAL): 'minus', (Types.MULTIPLY_EQUAL): 'multiply']

    @Override
    protected Expression rewrite(Expression e, ClassCodeExpressionTransformer parts) {
        if (!(e instanceof BinaryExpression) || e instanceof DeclarationExpression) return null
        int type = e.operation.type
        String op = OPS[type]
        if (op != null) return exact(op, parts.transform(e.leftExpression), parts.transform(e.rightExpression), e)
        op = ASSIGN_OPS[type]
        if (op == null || !(e.leftExpression instanceof VariableExpression)) return null
        def left = e.leftExpression
        def assign = new BinaryExpression(left, Token.newSymbol(Types.ASSIGN, e.operation.startLine, e.operation.startColumn),
                exact(op, left, parts.transform(e.rightExpression), e))
        assign.sourcePosition = e
        assign
    }

    private static Expression exact(String op, Expression left, Expression right, Expression where) {
        def c = new StaticMethodCallExpression(EXACT, op, new ArgumentListExpression(left, right))
        c.sourcePosition = where
        c
    }
}
