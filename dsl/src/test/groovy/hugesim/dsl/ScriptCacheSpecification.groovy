package hugesim.dsl

import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Path

/** A specification whose scripts compile into a cache of its own, and a folder per feature to write them in. */
abstract class ScriptCacheSpecification extends HugesimSpecification {
    @Shared @TempDir Path cache
    @TempDir Path dir
    @Shared String cacheBefore

    def setupSpec() {
        cacheBefore = System.getProperty('hugesim.cache')
        System.setProperty('hugesim.cache', cache.toString())
    }

    def cleanupSpec() {
        if (cacheBefore == null) System.clearProperty('hugesim.cache')
        else System.setProperty('hugesim.cache', cacheBefore)
    }
}
