/** The refusals moved to `shared/` so the window reports them with the same texts; this keeps main's imports. */
export * from '../../shared/archive-error.js';
