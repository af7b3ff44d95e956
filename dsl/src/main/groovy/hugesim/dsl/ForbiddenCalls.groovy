package hugesim.dsl

import org.codehaus.groovy.ast.ASTNode
import org.codehaus.groovy.ast.ClassCodeVisitorSupport
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.expr.ClassExpression
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.ConstructorCallExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer
import org.codehaus.groovy.syntax.SyntaxException

/**
 * Refuses, when a script compiles, the calls that would break the run from outside the model: ending the
 * JVM ({@code System.exit}, {@code Runtime.halt}) and starting threads or executors (the model is
 * single-threaded by design: a body runs only while the simulator waits for it). A script is code run
 * with the user's rights; this keeps honest scripts from hurting their own run, it is no sandbox.
 */
class ForbiddenCalls extends CompilationCustomizer {
    /** A refusal, reported as the script's own error rather than a syntax error. */
    static class Refused extends SyntaxException {
        Refused(String message, ASTNode node) { super(message, node) }
    }

    private static final String THREADS = 'threads and executors cannot be started from a script: the model is single-threaded by design (each body runs only while the simulator waits for it)'

    ForbiddenCalls() { super(CompilePhase.SEMANTIC_ANALYSIS) }

    @Override
    void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() { source }

            @Override
            void visitClosureExpression(ClosureExpression e) { e.code?.visit(this) }

            @Override
            void visitMethodCallExpression(MethodCallExpression call) {
                check(source, call, typeOf(call.objectExpression), call.methodAsString, call.objectExpression.text)
                super.visitMethodCallExpression(call)
            }

            @Override
            void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
                check(source, call, call.ownerType.name, call.method, call.ownerType.name)
                super.visitStaticMethodCallExpression(call)
            }

            @Override
            void visitConstructorCallExpression(ConstructorCallExpression call) {
                if (isThread(call.type)) source.addError(new Refused(THREADS, call))
                super.visitConstructorCallExpression(call)
            }
        }.visitClass(classNode)
    }

    private static String typeOf(Expression e) { e instanceof ClassExpression ? e.type.name : null }

    private static void check(SourceUnit source, ASTNode node, String type, String method, String receiverText) {
        if (type == 'java.lang.System' && method in ['exit', 'halt']) {
            source.addError(new Refused("System.${method} would end hugesim itself; a body ends its own process with exit()", node))
        } else if ((type == 'java.lang.Runtime' || receiverText?.contains('java.lang.Runtime')) && method in ['exit', 'halt']) {
            source.addError(new Refused("Runtime.${method} would end hugesim itself; a body ends its own process with exit()", node))
        } else if (type == 'java.lang.Thread' && (method.startsWith('start') || method.startsWith('of'))
                || type?.startsWith('java.util.concurrent.Executors')) {
            source.addError(new Refused(THREADS, node))
        }
    }

    private static boolean isThread(ClassNode type) {
        for (ClassNode c = type; c != null; c = c.superClass) {
            if (c.name == 'java.lang.Thread' || c.name == 'java.util.concurrent.ThreadPoolExecutor' || c.name == 'java.util.concurrent.ForkJoinPool') return true
        }
        false
    }
}
