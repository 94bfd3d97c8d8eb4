import { badInput } from "./errors.js";

type Json = Record<string, unknown>;

/**
 * Typed access to a JSON argument object. Problems become Dropbox's 400 text error, naming
 * the route and where the argument came from (request body or Dropbox-API-Arg header).
 */
export class ArgReader {
  constructor(
    private readonly route: string,
    private readonly where: string,
    private readonly value: Json,
  ) {}

  fail(field: string, problem: string): never {
    throw badInput(this.route, `${this.where}: ${field}: ${problem}`);
  }

  string(field: string): string {
    const value = this.value[field];
    if (value === undefined) throw badInput(this.route, `${this.where}: missing required field '${field}'`);
    if (typeof value !== "string") this.fail(field, `expected string, got ${describe(value)}`);
    return value;
  }

  optionalString(field: string): string | undefined {
    return this.value[field] === undefined || this.value[field] === null ? undefined : this.string(field);
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.value[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "boolean") this.fail(field, `expected boolean, got ${describe(value)}`);
    return value;
  }

  integer(field: string, min: number, max: number): number | undefined {
    const value = this.value[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value)) {
      this.fail(field, `expected integer, got ${describe(value)}`);
    }
    if (value < min) this.fail(field, `${value} is not greater than or equal to ${min}`);
    if (value > max) this.fail(field, `${value} is not less than or equal to ${max}`);
    return value;
  }

  object(field: string): ArgReader {
    const value = this.value[field];
    if (value === undefined) throw badInput(this.route, `${this.where}: missing required field '${field}'`);
    if (!isObject(value)) this.fail(field, `expected object, got ${describe(value)}`);
    return new ArgReader(this.route, `${this.where}: ${field}`, value);
  }

  optionalObject(field: string): ArgReader | undefined {
    return this.value[field] === undefined || this.value[field] === null ? undefined : this.object(field);
  }

  /**
   * A tagged union. Dropbox lets void members be written as a bare string ("add")
   * instead of {".tag": "add"}; members with a value must use the object form.
   */
  union(field: string, fallback: string): { tag: string; value: Json } {
    const value = this.value[field];
    if (value === undefined || value === null) return { tag: fallback, value: {} };
    if (typeof value === "string") return { tag: value, value: {} };
    if (isObject(value) && typeof value[".tag"] === "string") return { tag: value[".tag"], value };
    return this.fail(field, `expected union, got ${describe(value)}`);
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  return typeof value === "object" ? "object" : typeof value;
}
