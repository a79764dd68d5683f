/** The safety rules live in `shared/`, so the window shows the host's refusals before a zip is uploaded. */
export {
  assertSafeEntries,
  normaliseEntryName,
  safetyProblems,
  tooLargeError,
  tooManyEntriesError,
  type ZipLimits,
} from '../../shared/zip-safety.js';
