package hugesim.record;

/**
 * The script a run came from, kept whole so that a result says exactly what produced it.
 *
 * @param path   the script's path as given on the command line
 * @param sha256 SHA-256 of its text (UTF-8), in hex
 * @param text   its text
 */
public record ScriptInfo(String path, String sha256, String text) {}
