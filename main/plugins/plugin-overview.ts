import type {
  PluginDetails,
  PluginOverview,
  PluginRecord,
  PluginRecordSummary,
} from '../../shared/plugin-dto.js';

/**
 * The part of an install record the window's list shows, sorts and filters by. The list answer carries one per
 * plugin, so everything else — install.sh's output (up to 64 KiB), sha256, parameters — stays in the details
 * answer; `installLogBytes` tells the window a log is there to fetch.
 */
export function recordSummary(record: PluginRecord | null): PluginRecordSummary | null {
  if (record === null) return null;
  const summary: PluginRecordSummary = {
    source: record.source,
    installedAt: record.installedAt,
    zipBytes: record.zipBytes,
    installedBytes: record.installedBytes,
  };
  if (record.functions !== undefined) summary.functions = record.functions;
  if (record.installLog) summary.installLogBytes = Buffer.byteLength(record.installLog, 'utf8');
  return summary;
}

/** A plugin's list row from its details: the same fields in the same order, without `file`, record trimmed. */
export function overviewRow(details: PluginDetails): PluginOverview {
  return {
    kind: details.kind,
    name: details.name,
    version: details.version,
    functions: details.functions,
    sources: details.sources,
    sinks: details.sinks,
    ...(details.language === undefined ? {} : { language: details.language }),
    record: recordSummary(details.record),
  };
}
