/** Placeholder preload: the typed bridge comes with the desktop shell. */
export {};
