/** Types of `electron-binary.mjs` for the TypeScript tests that use it. */
export declare function electronPackageDir(projectDir: string): string | undefined;
export declare function installedElectron(
  projectDir: string,
  env?: Record<string, string | undefined>,
): string | undefined;
