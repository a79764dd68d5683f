/** Log lines that announce their level as routine: they never explain an end, whatever words they contain. */
const ROUTINE_LEVEL =
  /\blevel=(info|debug|trace|warn|warning)\b|\s-\s(INFO|DEBUG|WARNING):|^\s*(INFO|DEBUG|WARNING|WARN)\b|\[(INFO|DEBUG|WARN|WARNING)\]/;

const FAILURE =
  /\blevel=(error|fatal|panic)\b|\b(ERROR|CRITICAL|FATAL)\b|^panic:|^fatal error:|\b(error|exception|panic|fatal|failed|failure|cannot|can't|denied|refused|not found|no such)\b/i;

const TRACEBACK_START = 'Traceback (most recent call last):';

/**
 * Picks, from what a plugin wrote on stderr before it ended, the last lines that say why: a Python
 * traceback's tail, Go's `panic:` and `fatal error:`, log lines at error level or worse (logrus
 * `level=error`, Python logging `ERROR`), and other lines that read as a failure. eKuiper's Go SDK logs
 * everything to stderr, so the last lines of a plugin that stopped are usually routine info logging, which
 * explains nothing and must not pass for its last error. Empty when nothing explains the end.
 */
export function explainingLines(lines: readonly string[], max = 3): string[] {
  const traceback = lines.findLastIndex((line) => line.startsWith(TRACEBACK_START));
  if (traceback >= 0) {
    // The exception line closes the traceback; the frames before it say where.
    return lines
      .slice(traceback)
      .filter((line) => line.trim() !== '')
      .slice(-max);
  }
  return lines.filter((line) => !ROUTINE_LEVEL.test(line) && FAILURE.test(line)).slice(-max);
}
