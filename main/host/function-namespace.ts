/** The three kinds of functions that share SQL's one function namespace on eKuiper. */
export type FunctionFamily = 'plugin' | 'javascript' | 'service';

/** Who owns a function name within one family, worded for a refusal; undefined when nobody there does. */
export type FunctionOwner = (name: string) => string | undefined;

/**
 * SQL's one function namespace: plugin functions, JavaScript functions and service functions. Each manager says
 * who in its family owns a name; each asks here who *outside* its family does, so a plugin install, a
 * JavaScript function create and a service create all refuse a clash with the same check, naming the owner.
 */
export class FunctionNamespace {
  private readonly owners = new Map<FunctionFamily, FunctionOwner>();

  /** Registers a family's owner lookup (once each manager is open). */
  provide(family: FunctionFamily, owner: FunctionOwner): void {
    this.owners.set(family, owner);
  }

  /** The lookup a family's manager refuses clashes with: the first owner among the other families. */
  outside(family: FunctionFamily): FunctionOwner {
    return (name) => {
      for (const [other, owner] of this.owners) {
        if (other === family) continue;
        const found = owner(name);
        if (found !== undefined) return found;
      }
      return undefined;
    };
  }
}
