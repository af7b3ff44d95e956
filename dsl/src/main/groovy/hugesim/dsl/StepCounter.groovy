package hugesim.dsl

import org.codehaus.groovy.ast.ASTNode
import org.codehaus.groovy.ast.ClassCodeVisitorSupport
import org.codehaus.groovy.ast.ClassHelper
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.MethodNode
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression
import org.codehaus.groovy.ast.stmt.BlockStatement
import org.codehaus.groovy.ast.stmt.DoWhileStatement
import org.codehaus.groovy.ast.stmt.ExpressionStatement
import org.codehaus.groovy.ast.stmt.ForStatement
import org.codehaus.groovy.ast.stmt.Statement
import org.codehaus.groovy.ast.stmt.WhileStatement
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer

/**
 * Makes every loop iteration and every closure or method of a script call {@link Steps#tick}, as Groovy's
 * own ThreadInterrupt inserts its interrupt checks: the runaway guard then counts the script's progress,
 * and a body that caught its stop meets it again at its next step.
 */
class StepCounter extends CompilationCustomizer {
    private static final ClassNode STEPS = ClassHelper.make(Steps)

    StepCounter() { super(CompilePhase.CANONICALIZATION) }

    @Override
    void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        def visitor = new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() { source }

            @Override
            void visitForLoop(ForStatement loop) {
                super.visitForLoop(loop)
                loop.loopBlock = counted(loop.loopBlock, loop)
            }

            @Override
            void visitWhileLoop(WhileStatement loop) {
                super.visitWhileLoop(loop)
                loop.loopBlock = counted(loop.loopBlock, loop)
            }

            @Override
            void visitDoWhileLoop(DoWhileStatement loop) {
                super.visitDoWhileLoop(loop)
                loop.loopBlock = counted(loop.loopBlock, loop)
            }

            @Override
            void visitClosureExpression(ClosureExpression closure) {
                super.visitClosureExpression(closure)
                closure.code = counted(closure.code, closure)
            }

            @Override
            protected void visitConstructorOrMethod(MethodNode node, boolean isConstructor) {
                super.visitConstructorOrMethod(node, isConstructor)
                if (!node.abstract && node.code != null && !node.synthetic) node.code = counted(node.code, node)
            }
        }
        visitor.visitClass(classNode)
    }

    private static Statement counted(Statement body, ASTNode where) {
        def tick = new ExpressionStatement(new StaticMethodCallExpression(STEPS, 'tick', ArgumentListExpression.EMPTY_ARGUMENTS))
        tick.sourcePosition = where
        if (body instanceof BlockStatement) {
            // the block keeps its own variable scope
            ((BlockStatement) body).statements.add(0, tick)
            return body
        }
        // as Groovy's own ThreadInterrupt wraps a single statement: a block with a scope of its own
        def block = new BlockStatement()
        block.addStatement(tick)
        if (body != null) block.addStatement(body)
        block.sourcePosition = body ?: where
        block
    }
}
