package hugesim.dsl

import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer

/**
 * A script's class takes its file's name, and a file named after a primitive type ({@code long.groovy},
 * {@code int.groovy}) made a class the bytecode reads as that type: the script did not compile, with a
 * message about ASM or the operand stack. Such a class gets a trailing underscore; the file keeps its name
 * in every message.
 */
class ScriptClassName extends CompilationCustomizer {
    static final Set<String> PRIMITIVES = ['boolean', 'byte', 'char', 'short', 'int', 'long', 'float', 'double', 'void'] as Set

    ScriptClassName() { super(CompilePhase.CONVERSION) }

    @Override
    void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (classNode.script && classNode.name in PRIMITIVES) classNode.name = classNode.name + '_'
    }
}
